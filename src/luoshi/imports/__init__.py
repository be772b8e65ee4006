"""Importing an existing ledger (台账) from Excel: the way most offices start.

A supervisor uploads an .xlsx (or .csv) file; it is kept as a pending batch (`models`), read
(`reading`), its columns mapped to a task's fields (`fields`, remembered per header row), every
row checked (`validation`, with `cells` and `units` for what a cell says), and then imported all
or nothing (`importer`), each task journaled with the batch it came from. Nothing else imports
this app.
"""
