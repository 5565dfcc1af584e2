-- The federated search index (docs/search.md). Written by hand: drizzle-kit cannot express views,
-- triggers or FTS5 virtual tables.
--
-- search_source_<type>: what each record contributes to the index, one row per record (a project
-- gives two: itself and its client). The triggers below copy a record's row into search_entities in
-- the same statement that writes the record, and the operators' rebuild refills search_entities from
-- the same views, so the two can never disagree on the text. One view per table rather than one
-- union: D1 caps a compound SELECT at five terms.
CREATE VIEW `search_source_project` AS
SELECT 'project' AS entity_type, p.id AS entity_id, p.id AS project_id,
  '#' || p.number || ' ' || p.title AS title,
  p.client_name || ' ' || coalesce(p.client_email, '') || ' ' ||
    coalesce((SELECT group_concat(value, ' ') FROM json_each(p.client, '$.address')), '') AS body,
  p.stage || ' ' || p.status AS tags,
  json_object('stage', p.stage, 'status', p.status, 'showroom_id', p.showroom_id) AS facets
FROM projects p
UNION ALL
SELECT 'client', p.id, p.id, p.client_name,
  coalesce(p.client_email, '') || ' ' || coalesce(json_extract(p.client, '$.phone'), '') || ' ' ||
    coalesce((SELECT group_concat(value, ' ') FROM json_each(p.client, '$.address')), ''),
  '', json_object('showroom_id', p.showroom_id)
FROM projects p;
--> statement-breakpoint
CREATE VIEW `search_source_activity` AS
SELECT 'activity' AS entity_type, a.id AS entity_id, a.project_id AS project_id, '' AS title, a.body AS body,
  a.type AS tags, json_object('activity_type', a.type) AS facets
FROM activities a WHERE a.body IS NOT NULL AND a.body <> '';
--> statement-breakpoint
CREATE VIEW `search_source_document` AS
SELECT 'document' AS entity_type, d.id AS entity_id, d.project_id AS project_id, d.name AS title,
  coalesce(t.text, '') AS body,
  d.type || ' ' || coalesce((SELECT group_concat(value, ' ') FROM json_each(d.tags)), '') AS tags,
  json_object('document_type', d.type) AS facets
FROM documents d LEFT JOIN document_texts t ON t.document_id = d.id
WHERE d.deleted_at IS NULL AND d.status = 'ready';
--> statement-breakpoint
CREATE VIEW `search_source_machine` AS
SELECT 'machine' AS entity_type, m.id AS entity_id, NULL AS project_id, m.name AS title,
  coalesce(m.type, '') || ' ' ||
    coalesce((SELECT group_concat(value, ' ') FROM json_each(m.metadata) WHERE type = 'text'), '') AS body,
  m.status AS tags,
  CASE WHEN m.type IS NULL THEN json_object('machine_status', m.status)
    ELSE json_object('machine_status', m.status, 'machine_type', m.type) END AS facets
FROM machines m;
--> statement-breakpoint
CREATE VIEW `search_source_showroom` AS
SELECT 'showroom' AS entity_type, s.id AS entity_id, NULL AS project_id, s.name AS title,
  coalesce((SELECT group_concat(value, ' ') FROM json_each(s.address)), '') AS body, s.type AS tags,
  json_object('showroom_type', s.type) AS facets
FROM showrooms s;
--> statement-breakpoint
-- The word index: diacritics folded (queryTerms in @nexus/contracts folds the same way), prefix
-- indexes for search as you type, the entity's type and id carried unindexed.
CREATE VIRTUAL TABLE `search_fts` USING fts5(
  title, body, tags, entity_type UNINDEXED, entity_id UNINDEXED,
  content='search_entities', content_rowid='rowid',
  tokenize='unicode61 remove_diacritics 2', prefix='2 3'
);
--> statement-breakpoint
-- The trigram twin: contains-search ("ller" finds "Müller") and scripts without spaces.
CREATE VIRTUAL TABLE `search_trigram` USING fts5(
  title, body, tags, content='search_entities', content_rowid='rowid', tokenize='trigram'
);
--> statement-breakpoint
-- The word index's vocabulary: where typo tolerance finds the words near a misspelt term.
CREATE VIRTUAL TABLE `search_vocab` USING fts5vocab(search_fts, 'row');
--> statement-breakpoint
CREATE TRIGGER `search_entities_ai` AFTER INSERT ON `search_entities` BEGIN
  INSERT INTO search_fts(rowid, title, body, tags, entity_type, entity_id)
    VALUES (new.rowid, new.title, new.body, new.tags, new.entity_type, new.entity_id);
  INSERT INTO search_trigram(rowid, title, body, tags) VALUES (new.rowid, new.title, new.body, new.tags);
END;
--> statement-breakpoint
CREATE TRIGGER `search_entities_ad` AFTER DELETE ON `search_entities` BEGIN
  INSERT INTO search_fts(search_fts, rowid, title, body, tags, entity_type, entity_id)
    VALUES ('delete', old.rowid, old.title, old.body, old.tags, old.entity_type, old.entity_id);
  INSERT INTO search_trigram(search_trigram, rowid, title, body, tags)
    VALUES ('delete', old.rowid, old.title, old.body, old.tags);
END;
--> statement-breakpoint
CREATE TRIGGER `search_entities_au` AFTER UPDATE ON `search_entities` BEGIN
  INSERT INTO search_fts(search_fts, rowid, title, body, tags, entity_type, entity_id)
    VALUES ('delete', old.rowid, old.title, old.body, old.tags, old.entity_type, old.entity_id);
  INSERT INTO search_trigram(search_trigram, rowid, title, body, tags)
    VALUES ('delete', old.rowid, old.title, old.body, old.tags);
  INSERT INTO search_fts(rowid, title, body, tags, entity_type, entity_id)
    VALUES (new.rowid, new.title, new.body, new.tags, new.entity_type, new.entity_id);
  INSERT INTO search_trigram(rowid, title, body, tags) VALUES (new.rowid, new.title, new.body, new.tags);
END;
--> statement-breakpoint
-- The records' triggers. Updates fire only on the columns the index reads (a machine's health and
-- last sample change with every telemetry batch and must not rewrite its entry).
CREATE TRIGGER `search_projects_ai` AFTER INSERT ON `projects` BEGIN
  INSERT INTO search_entities(entity_type, entity_id, project_id, title, body, tags, facets)
    SELECT entity_type, entity_id, project_id, title, body, tags, facets FROM search_source_project
    WHERE entity_id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `search_projects_au` AFTER UPDATE OF number, title, client, client_name, client_email, showroom_id, stage, status ON `projects` BEGIN
  DELETE FROM search_entities WHERE entity_type IN ('project', 'client') AND entity_id = old.id;
  INSERT INTO search_entities(entity_type, entity_id, project_id, title, body, tags, facets)
    SELECT entity_type, entity_id, project_id, title, body, tags, facets FROM search_source_project
    WHERE entity_id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `search_projects_ad` AFTER DELETE ON `projects` BEGIN
  DELETE FROM search_entities WHERE entity_type IN ('project', 'client') AND entity_id = old.id;
END;
--> statement-breakpoint
CREATE TRIGGER `search_activities_ai` AFTER INSERT ON `activities` BEGIN
  INSERT INTO search_entities(entity_type, entity_id, project_id, title, body, tags, facets)
    SELECT entity_type, entity_id, project_id, title, body, tags, facets FROM search_source_activity
    WHERE entity_id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `search_activities_au` AFTER UPDATE OF project_id, type, body ON `activities` BEGIN
  DELETE FROM search_entities WHERE entity_type = 'activity' AND entity_id = old.id;
  INSERT INTO search_entities(entity_type, entity_id, project_id, title, body, tags, facets)
    SELECT entity_type, entity_id, project_id, title, body, tags, facets FROM search_source_activity
    WHERE entity_id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `search_activities_ad` AFTER DELETE ON `activities` BEGIN
  DELETE FROM search_entities WHERE entity_type = 'activity' AND entity_id = old.id;
END;
--> statement-breakpoint
CREATE TRIGGER `search_documents_ai` AFTER INSERT ON `documents` BEGIN
  INSERT INTO search_entities(entity_type, entity_id, project_id, title, body, tags, facets)
    SELECT entity_type, entity_id, project_id, title, body, tags, facets FROM search_source_document
    WHERE entity_id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `search_documents_au` AFTER UPDATE OF name, type, tags, project_id, status, deleted_at ON `documents` BEGIN
  DELETE FROM search_entities WHERE entity_type = 'document' AND entity_id = old.id;
  INSERT INTO search_entities(entity_type, entity_id, project_id, title, body, tags, facets)
    SELECT entity_type, entity_id, project_id, title, body, tags, facets FROM search_source_document
    WHERE entity_id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `search_documents_ad` AFTER DELETE ON `documents` BEGIN
  DELETE FROM search_entities WHERE entity_type = 'document' AND entity_id = old.id;
END;
--> statement-breakpoint
CREATE TRIGGER `search_document_texts_ai` AFTER INSERT ON `document_texts` BEGIN
  DELETE FROM search_entities WHERE entity_type = 'document' AND entity_id = new.document_id;
  INSERT INTO search_entities(entity_type, entity_id, project_id, title, body, tags, facets)
    SELECT entity_type, entity_id, project_id, title, body, tags, facets FROM search_source_document
    WHERE entity_id = new.document_id;
END;
--> statement-breakpoint
CREATE TRIGGER `search_document_texts_au` AFTER UPDATE OF text ON `document_texts` BEGIN
  DELETE FROM search_entities WHERE entity_type = 'document' AND entity_id = new.document_id;
  INSERT INTO search_entities(entity_type, entity_id, project_id, title, body, tags, facets)
    SELECT entity_type, entity_id, project_id, title, body, tags, facets FROM search_source_document
    WHERE entity_id = new.document_id;
END;
--> statement-breakpoint
CREATE TRIGGER `search_machines_ai` AFTER INSERT ON `machines` BEGIN
  INSERT INTO search_entities(entity_type, entity_id, project_id, title, body, tags, facets)
    SELECT entity_type, entity_id, project_id, title, body, tags, facets FROM search_source_machine
    WHERE entity_id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `search_machines_au` AFTER UPDATE OF name, type, status, metadata ON `machines` BEGIN
  DELETE FROM search_entities WHERE entity_type = 'machine' AND entity_id = old.id;
  INSERT INTO search_entities(entity_type, entity_id, project_id, title, body, tags, facets)
    SELECT entity_type, entity_id, project_id, title, body, tags, facets FROM search_source_machine
    WHERE entity_id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `search_machines_ad` AFTER DELETE ON `machines` BEGIN
  DELETE FROM search_entities WHERE entity_type = 'machine' AND entity_id = old.id;
END;
--> statement-breakpoint
CREATE TRIGGER `search_showrooms_ai` AFTER INSERT ON `showrooms` BEGIN
  INSERT INTO search_entities(entity_type, entity_id, project_id, title, body, tags, facets)
    SELECT entity_type, entity_id, project_id, title, body, tags, facets FROM search_source_showroom
    WHERE entity_id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `search_showrooms_au` AFTER UPDATE OF name, type, address ON `showrooms` BEGIN
  DELETE FROM search_entities WHERE entity_type = 'showroom' AND entity_id = old.id;
  INSERT INTO search_entities(entity_type, entity_id, project_id, title, body, tags, facets)
    SELECT entity_type, entity_id, project_id, title, body, tags, facets FROM search_source_showroom
    WHERE entity_id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `search_showrooms_ad` AFTER DELETE ON `showrooms` BEGIN
  DELETE FROM search_entities WHERE entity_type = 'showroom' AND entity_id = old.id;
END;
--> statement-breakpoint
-- Records that existed before this migration.
INSERT INTO search_entities(entity_type, entity_id, project_id, title, body, tags, facets)
  SELECT entity_type, entity_id, project_id, title, body, tags, facets FROM search_source_project;
--> statement-breakpoint
INSERT INTO search_entities(entity_type, entity_id, project_id, title, body, tags, facets)
  SELECT entity_type, entity_id, project_id, title, body, tags, facets FROM search_source_activity;
--> statement-breakpoint
INSERT INTO search_entities(entity_type, entity_id, project_id, title, body, tags, facets)
  SELECT entity_type, entity_id, project_id, title, body, tags, facets FROM search_source_document;
--> statement-breakpoint
INSERT INTO search_entities(entity_type, entity_id, project_id, title, body, tags, facets)
  SELECT entity_type, entity_id, project_id, title, body, tags, facets FROM search_source_machine;
--> statement-breakpoint
INSERT INTO search_entities(entity_type, entity_id, project_id, title, body, tags, facets)
  SELECT entity_type, entity_id, project_id, title, body, tags, facets FROM search_source_showroom;
