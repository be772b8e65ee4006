"""The working-day calendar: statutory holidays and 调休 from `chinesecalendar`, local days on top.

calendar.py, statutory.py, span.py: pure Python (no Django). services.py: `calendar_for(organisation)`.
"""
