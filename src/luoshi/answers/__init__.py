"""Answer templates (常用语): an organisation's canned texts for the text fields of the closed loop."""
