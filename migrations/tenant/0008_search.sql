CREATE TABLE `document_texts` (
	`document_id` text PRIMARY KEY NOT NULL,
	`text` text NOT NULL,
	`extracted_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `search_entities` (
	`rowid` integer PRIMARY KEY NOT NULL,
	`entity_type` text NOT NULL,
	`entity_id` text NOT NULL,
	`project_id` text,
	`title` text DEFAULT '' NOT NULL,
	`body` text DEFAULT '' NOT NULL,
	`tags` text DEFAULT '' NOT NULL,
	`facets` text DEFAULT '{}' NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `search_entities_entity_unique` ON `search_entities` (`entity_type`,`entity_id`);--> statement-breakpoint
CREATE INDEX `search_entities_project_idx` ON `search_entities` (`project_id`);--> statement-breakpoint
CREATE TABLE `search_queries` (
	`id` text PRIMARY KEY NOT NULL,
	`query` text NOT NULL,
	`types` text,
	`filters` text,
	`result_count` integer NOT NULL,
	`latency_ms` real NOT NULL,
	`actor_type` text NOT NULL,
	`actor_id` text,
	`clicked_type` text,
	`clicked_id` text,
	`clicked_position` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `search_queries_created_idx` ON `search_queries` (`created_at`);--> statement-breakpoint
CREATE INDEX `search_queries_query_idx` ON `search_queries` (`query`,`created_at`);