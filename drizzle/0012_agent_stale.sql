ALTER TABLE "node_agents" ADD COLUMN "poll_interval_seconds" integer DEFAULT 60 NOT NULL;--> statement-breakpoint
ALTER TABLE "node_agents" ADD COLUMN "stale_notified_at" timestamp with time zone;