CREATE TABLE `lectures` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`module_id` integer NOT NULL,
	`slug` text NOT NULL,
	`title` text NOT NULL,
	`summary` text NOT NULL,
	`body_markdown` text NOT NULL,
	`body_html` text NOT NULL,
	`body_text` text NOT NULL,
	`toc_json` text DEFAULT '[]' NOT NULL,
	`duration_minutes` integer NOT NULL,
	`position` integer NOT NULL,
	`published` integer DEFAULT false NOT NULL,
	`free_preview` integer DEFAULT false NOT NULL,
	`video_asset_key` text,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch()) NOT NULL,
	FOREIGN KEY (`module_id`) REFERENCES `modules`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `lectures_module_slug_unique` ON `lectures` (`module_id`,`slug`);--> statement-breakpoint
CREATE INDEX `lectures_module_position_idx` ON `lectures` (`module_id`,`published`,`position`);--> statement-breakpoint
CREATE TABLE `modules` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`slug` text NOT NULL,
	`title` text NOT NULL,
	`summary` text NOT NULL,
	`overview_markdown` text DEFAULT '' NOT NULL,
	`overview_html` text DEFAULT '' NOT NULL,
	`position` integer NOT NULL,
	`published` integer DEFAULT false NOT NULL,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch()) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `modules_slug_unique` ON `modules` (`slug`);--> statement-breakpoint
CREATE INDEX `modules_position_idx` ON `modules` (`published`,`position`);