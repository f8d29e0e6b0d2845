CREATE TABLE "ca_rotations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"cluster_id" uuid NOT NULL,
	"old_ca_id" uuid NOT NULL,
	"new_ca_id" uuid NOT NULL,
	"started_by" text NOT NULL,
	"published_at" timestamp with time zone,
	"reissue_started_at" timestamp with time zone,
	"reissue_finished_at" timestamp with time zone,
	"reissue_total" integer DEFAULT 0 NOT NULL,
	"reissue_done" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"retired_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "certificate_authorities" DROP CONSTRAINT "certificate_authorities_state_check";--> statement-breakpoint
ALTER TABLE "ca_rotations" ADD CONSTRAINT "ca_rotations_cluster_id_clusters_id_fk" FOREIGN KEY ("cluster_id") REFERENCES "public"."clusters"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ca_rotations" ADD CONSTRAINT "ca_rotations_old_ca_id_certificate_authorities_id_fk" FOREIGN KEY ("old_ca_id") REFERENCES "public"."certificate_authorities"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ca_rotations" ADD CONSTRAINT "ca_rotations_new_ca_id_certificate_authorities_id_fk" FOREIGN KEY ("new_ca_id") REFERENCES "public"."certificate_authorities"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "ca_rotations_one_open_per_cluster" ON "ca_rotations" USING btree ("cluster_id") WHERE retired_at IS NULL AND cancelled_at IS NULL;--> statement-breakpoint
CREATE INDEX "ca_rotations_cluster_idx" ON "ca_rotations" USING btree ("cluster_id","created_at");--> statement-breakpoint
ALTER TABLE "certificate_authorities" ADD CONSTRAINT "certificate_authorities_state_check" CHECK (state IN ('pending', 'published', 'active', 'retiring', 'retired'));