CREATE TABLE `document_parts` (
	`document_id` text NOT NULL,
	`part_number` integer NOT NULL,
	`size` integer NOT NULL,
	`etag` text NOT NULL,
	`uploaded_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	PRIMARY KEY(`document_id`, `part_number`),
	FOREIGN KEY (`document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `documents` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`type` text NOT NULL,
	`content_type` text NOT NULL,
	`size` integer NOT NULL,
	`sha256` text,
	`status` text NOT NULL,
	`r2_key` text NOT NULL,
	`multipart_upload_id` text,
	`tags` text DEFAULT '[]' NOT NULL,
	`machine_id` text,
	`project_id` text,
	`uploaded_by_type` text NOT NULL,
	`uploaded_by_id` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`upload_expires_at` integer,
	`deleted_at` integer,
	`purge_after` integer
);
--> statement-breakpoint
CREATE INDEX `documents_listing_idx` ON `documents` (`deleted_at`,`id`);--> statement-breakpoint
CREATE INDEX `documents_machine_idx` ON `documents` (`machine_id`);--> statement-breakpoint
CREATE INDEX `documents_project_idx` ON `documents` (`project_id`);--> statement-breakpoint
CREATE INDEX `documents_purge_idx` ON `documents` (`purge_after`);