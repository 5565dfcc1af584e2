CREATE TABLE `tenant_info` (
	`id` integer PRIMARY KEY DEFAULT 1 NOT NULL,
	`company_id` text NOT NULL,
	`claimed_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	CONSTRAINT "tenant_info_single_row" CHECK("tenant_info"."id" = 1)
);
