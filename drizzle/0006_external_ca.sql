CREATE TABLE "ca_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"cluster_id" uuid NOT NULL,
	"subject" text NOT NULL,
	"key_algorithm" text NOT NULL,
	"csr_pem" text NOT NULL,
	"encrypted_private_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "certificate_authorities" ADD COLUMN "origin" text DEFAULT 'generated' NOT NULL;--> statement-breakpoint
ALTER TABLE "certificate_authorities" ADD COLUMN "external_crl_pem" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "certificate_authorities" ADD COLUMN "external_crl_next_update" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "ca_requests" ADD CONSTRAINT "ca_requests_cluster_id_clusters_id_fk" FOREIGN KEY ("cluster_id") REFERENCES "public"."clusters"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "ca_requests_cluster_key" ON "ca_requests" USING btree ("cluster_id");--> statement-breakpoint
ALTER TABLE "certificate_authorities" ADD CONSTRAINT "certificate_authorities_origin_check" CHECK (origin IN ('generated', 'imported', 'external-csr'));