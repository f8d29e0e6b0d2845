ALTER TABLE "nodes" ADD COLUMN "last_probe_status" text;--> statement-breakpoint
ALTER TABLE "nodes" ADD COLUMN "last_probe_detail" text;--> statement-breakpoint
ALTER TABLE "nodes" ADD COLUMN "last_probed_at" timestamp with time zone;