CREATE TABLE `activities` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`type` text NOT NULL,
	`body` text,
	`data` text DEFAULT '{}' NOT NULL,
	`actor_type` text NOT NULL,
	`actor_id` text,
	`occurred_at` integer NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `activities_project_idx` ON `activities` (`project_id`,`id`);--> statement-breakpoint
CREATE TABLE `feature_flags` (
	`key` text PRIMARY KEY NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`enabled` integer NOT NULL,
	`rules` text DEFAULT '[]' NOT NULL
);
--> statement-breakpoint
CREATE TABLE `pipeline_stages` (
	`showroom_type` text NOT NULL,
	`key` text NOT NULL,
	`position` integer NOT NULL,
	`name` text NOT NULL,
	`requirements` text DEFAULT '[]' NOT NULL,
	`assignee_role` text,
	PRIMARY KEY(`showroom_type`, `key`)
);
--> statement-breakpoint
CREATE TABLE `project_assignments` (
	`project_id` text NOT NULL,
	`role` text NOT NULL,
	`user_id` text NOT NULL,
	PRIMARY KEY(`project_id`, `role`),
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `project_assignments_user_idx` ON `project_assignments` (`user_id`);--> statement-breakpoint
CREATE TABLE `project_counter` (
	`id` integer PRIMARY KEY NOT NULL,
	`next` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `projects` (
	`id` text PRIMARY KEY NOT NULL,
	`number` integer NOT NULL,
	`title` text NOT NULL,
	`client` text NOT NULL,
	`client_name` text NOT NULL,
	`client_email` text,
	`showroom_id` text NOT NULL,
	`stage` text NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`value` real,
	`checklist` text DEFAULT '{}' NOT NULL,
	`expected_completion` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`showroom_id`) REFERENCES `showrooms`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `projects_number_unique` ON `projects` (`number`);--> statement-breakpoint
CREATE INDEX `projects_stage_idx` ON `projects` (`stage`);--> statement-breakpoint
CREATE INDEX `projects_showroom_idx` ON `projects` (`showroom_id`);--> statement-breakpoint
CREATE TABLE `showroom_members` (
	`showroom_id` text NOT NULL,
	`user_id` text NOT NULL,
	PRIMARY KEY(`showroom_id`, `user_id`),
	FOREIGN KEY (`showroom_id`) REFERENCES `showrooms`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `showroom_members_user_idx` ON `showroom_members` (`user_id`);--> statement-breakpoint
CREATE TABLE `showrooms` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`type` text NOT NULL,
	`address` text DEFAULT '{}' NOT NULL,
	`settings` text DEFAULT '{}' NOT NULL,
	`branding` text DEFAULT '{"logo_url":null,"primary_color":null}' NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);

--> statement-breakpoint
-- The default pipeline (DEFAULT_PIPELINE in packages/contracts/src/crm.ts; a test keeps them equal) and the project counter.
INSERT INTO `pipeline_stages` (`showroom_type`, `key`, `position`, `name`, `requirements`, `assignee_role`) VALUES
	('', 'enquiry', 0, 'Enquiry', '[]', NULL),
	('', 'consultation', 1, 'Consultation', '[{"kind":"activity","type":"call","label":"First call with the client logged"}]', NULL),
	('', 'survey_booked', 2, 'Survey booked', '[{"kind":"assignment","role":"surveyor","label":"Surveyor assigned"}]', 'surveyor'),
	('', 'survey_completed', 3, 'Survey completed', '[{"kind":"activity","type":"site_visit","label":"Site visit logged"},{"kind":"document","tag":"survey","label":"Survey report uploaded"}]', 'surveyor'),
	('', 'design', 4, 'Design', '[{"kind":"assignment","role":"designer","label":"Designer assigned"}]', 'designer'),
	('', 'design_presented', 5, 'Design presented', '[{"kind":"document","tag":"design","label":"Design uploaded"},{"kind":"checklist","key":"design_presented","label":"Design presented to the client"}]', 'designer'),
	('', 'quote_sent', 6, 'Quote sent', '[{"kind":"document","tag":"quote","label":"Quote uploaded"}]', 'designer'),
	('', 'quote_accepted', 7, 'Quote accepted', '[{"kind":"checklist","key":"quote_accepted","label":"Client accepted the quote"}]', NULL),
	('', 'deposit_paid', 8, 'Deposit paid', '[{"kind":"checklist","key":"deposit_paid","label":"Deposit paid"}]', NULL),
	('', 'materials_ordered', 9, 'Materials ordered', '[{"kind":"checklist","key":"materials_ordered","label":"Materials ordered"}]', NULL),
	('', 'installation_scheduled', 10, 'Installation scheduled', '[{"kind":"assignment","role":"installer","label":"Installer assigned"},{"kind":"checklist","key":"installation_date_set","label":"Installation date agreed"}]', 'installer'),
	('', 'installation', 11, 'Installation', '[{"kind":"activity","type":"check_in","label":"Installer checked in on site"}]', 'installer'),
	('', 'completion', 12, 'Completion', '[{"kind":"document","tag":"completion","label":"Completion photos uploaded"},{"kind":"checklist","key":"final_payment","label":"Final payment received"}]', NULL);
--> statement-breakpoint
INSERT INTO `project_counter` (`id`, `next`) VALUES (1, 1);
