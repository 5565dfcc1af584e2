CREATE TABLE `audit_logs` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` text,
	`actor_type` text NOT NULL,
	`actor_id` text,
	`action` text NOT NULL,
	`target_type` text,
	`target_id` text,
	`details` text,
	`ip_address` text,
	`user_agent` text,
	`request_id` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_logs_company_idx` ON `audit_logs` (`company_id`,`id`);--> statement-breakpoint
CREATE TABLE `companies` (
	`id` text PRIMARY KEY NOT NULL,
	`company_code` text NOT NULL,
	`company_name` text NOT NULL,
	`admin_email` text NOT NULL,
	`admin_phone` text,
	`subscription_status` text DEFAULT 'trial' NOT NULL,
	`subscription_tier` text DEFAULT 'standard' NOT NULL,
	`max_users` integer DEFAULT 10 NOT NULL,
	`max_installations` integer DEFAULT 5 NOT NULL,
	`settings` text DEFAULT '{}' NOT NULL,
	`settings_version` integer DEFAULT 1 NOT NULL,
	`update_channel` text DEFAULT 'stable' NOT NULL,
	`minimum_app_version` text,
	`metadata` text DEFAULT '{}' NOT NULL,
	`suspended_at` integer,
	`suspended_reason` text,
	`expires_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `companies_company_code_unique` ON `companies` (`company_code`);--> statement-breakpoint
CREATE INDEX `companies_created_at_idx` ON `companies` (`created_at`);--> statement-breakpoint
CREATE TABLE `company_databases` (
	`company_id` text PRIMARY KEY NOT NULL,
	`provider` text NOT NULL,
	`binding_name` text,
	`encrypted_config` text,
	`schema_version` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `company_databases_binding_unique` ON `company_databases` (`binding_name`);--> statement-breakpoint
CREATE TABLE `idempotency_keys` (
	`scope` text NOT NULL,
	`key` text NOT NULL,
	`request_hash` text NOT NULL,
	`status` text NOT NULL,
	`response_status` integer,
	`response_body` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	PRIMARY KEY(`scope`, `key`)
);
--> statement-breakpoint
CREATE TABLE `installations` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` text NOT NULL,
	`machine_id` text NOT NULL,
	`hostname` text NOT NULL,
	`username` text,
	`ip_address` text,
	`app_version` text,
	`os_version` text,
	`is_active` integer DEFAULT true NOT NULL,
	`settings_version_seen` integer DEFAULT 0 NOT NULL,
	`last_heartbeat_at` integer,
	`deactivated_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `installations_company_machine_unique` ON `installations` (`company_id`,`machine_id`);--> statement-breakpoint
CREATE INDEX `installations_company_active_idx` ON `installations` (`company_id`,`is_active`);--> statement-breakpoint
CREATE TABLE `registration_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`token_hash` text NOT NULL,
	`label` text,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`used_by_company_id` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `registration_tokens_hash_unique` ON `registration_tokens` (`token_hash`);--> statement-breakpoint
CREATE TABLE `tenant_db_pool` (
	`binding_name` text PRIMARY KEY NOT NULL,
	`database_id` text,
	`status` text DEFAULT 'free' NOT NULL,
	`company_id` text,
	`reserved_at` integer,
	`schema_version` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `tenant_db_pool_status_idx` ON `tenant_db_pool` (`status`);