-- Full-text search over lectures (SQLite FTS5 in D1). External-content table: the text
-- lives once, in `lectures`; triggers keep the index in step with every write.
CREATE VIRTUAL TABLE `lectures_fts` USING fts5(
	title,
	body_text,
	content = 'lectures',
	content_rowid = 'id',
	tokenize = 'porter unicode61 remove_diacritics 2'
);
--> statement-breakpoint
CREATE TRIGGER `lectures_fts_after_insert` AFTER INSERT ON `lectures` BEGIN
	INSERT INTO lectures_fts (rowid, title, body_text) VALUES (new.id, new.title, new.body_text);
END;
--> statement-breakpoint
CREATE TRIGGER `lectures_fts_after_delete` AFTER DELETE ON `lectures` BEGIN
	INSERT INTO lectures_fts (lectures_fts, rowid, title, body_text) VALUES ('delete', old.id, old.title, old.body_text);
END;
--> statement-breakpoint
CREATE TRIGGER `lectures_fts_after_update` AFTER UPDATE OF title, body_text ON `lectures` BEGIN
	INSERT INTO lectures_fts (lectures_fts, rowid, title, body_text) VALUES ('delete', old.id, old.title, old.body_text);
	INSERT INTO lectures_fts (rowid, title, body_text) VALUES (new.id, new.title, new.body_text);
END;
