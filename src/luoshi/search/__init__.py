"""Search (检索): one box that finds tasks, sources and their items by Chinese words.

Text is cut into words by jieba (search mode, so a long word also stands as its shorter words),
the words are kept space-joined in `Entry`, and the database's own full-text index reads them:
an FTS5 table on SQLite, a 'simple' tsvector with a GIN index on PostgreSQL. What a user may
see is decided at query time by `luoshi.access`, never stored in the index.
"""
