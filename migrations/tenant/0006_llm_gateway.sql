CREATE TABLE `llm_cache` (
	`key` text PRIMARY KEY NOT NULL,
	`model` text NOT NULL,
	`completion` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `llm_calls` (
	`id` text PRIMARY KEY NOT NULL,
	`request_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`model` text NOT NULL,
	`provider` text,
	`provider_model` text,
	`key_source` text,
	`api_key_id` text,
	`installation_id` text,
	`fallback_step` integer,
	`attempts` text DEFAULT '[]' NOT NULL,
	`stream` integer NOT NULL,
	`status` text NOT NULL,
	`http_status` integer NOT NULL,
	`input_tokens` integer DEFAULT 0 NOT NULL,
	`cached_tokens` integer DEFAULT 0 NOT NULL,
	`output_tokens` integer DEFAULT 0 NOT NULL,
	`cost_usd_micros` integer DEFAULT 0 NOT NULL,
	`price_version` text NOT NULL,
	`latency_ms` integer NOT NULL,
	`estimated` integer DEFAULT false NOT NULL,
	`prompt` text,
	`output` text,
	`content_expires_at` integer
);
--> statement-breakpoint
CREATE INDEX `llm_calls_created_idx` ON `llm_calls` (`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `llm_calls_api_key_idx` ON `llm_calls` (`api_key_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `llm_calls_model_idx` ON `llm_calls` (`model`,`created_at`);--> statement-breakpoint
CREATE TABLE `llm_provider_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`provider` text NOT NULL,
	`label` text NOT NULL,
	`sealed_key` text NOT NULL,
	`last4` text NOT NULL,
	`created_by` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`rotated_at` integer
);
--> statement-breakpoint
CREATE TABLE `llm_settings` (
	`id` integer PRIMARY KEY DEFAULT 1 NOT NULL,
	`policy` text NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	CONSTRAINT "llm_settings_single_row" CHECK("llm_settings"."id" = 1)
);
