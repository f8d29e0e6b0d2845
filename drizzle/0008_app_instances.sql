CREATE TABLE "app_instances" (
	"instance" text PRIMARY KEY NOT NULL,
	"current_key_id" text NOT NULL,
	"key_ids" text[] NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL
);
