ALTER TABLE "clusters" ADD COLUMN "allow_wildcard_names" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "clusters" ADD COLUMN "permitted_names" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
-- Wildcards were accepted until now: a cluster that already issues one keeps doing so on renewal.
UPDATE "clusters" SET "allow_wildcard_names" = true
WHERE EXISTS (SELECT 1 FROM unnest("shared_dns_names") AS n WHERE n LIKE '*.%')
   OR EXISTS (
     SELECT 1 FROM "nodes"
     WHERE "nodes"."cluster_id" = "clusters"."id" AND "nodes"."removed_at" IS NULL
       AND ("nodes"."hostname" LIKE '*.%' OR EXISTS (SELECT 1 FROM unnest("nodes"."dns_names") AS d WHERE d LIKE '*.%'))
   );
