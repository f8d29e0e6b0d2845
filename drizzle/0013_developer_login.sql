CREATE TABLE "device_authorizations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"device_code_hash" text NOT NULL,
	"user_code" text NOT NULL,
	"client_id" text NOT NULL,
	"device_name" text DEFAULT '' NOT NULL,
	"requested_clusters" text[] DEFAULT '{}'::text[] NOT NULL,
	"ip_address" text,
	"user_agent" text,
	"state" text DEFAULT 'pending' NOT NULL,
	"user_id" text,
	"cluster_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"interval_seconds" integer DEFAULT 5 NOT NULL,
	"last_polled_at" timestamp with time zone,
	"decided_at" timestamp with time zone,
	"device_id" uuid,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "device_authorizations_state_check" CHECK (state IN ('pending', 'approved', 'denied', 'exchanged'))
);
--> statement-breakpoint
CREATE TABLE "devices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" text NOT NULL,
	"name" text NOT NULL,
	"credential_prefix" text NOT NULL,
	"credential_hash" text NOT NULL,
	"cluster_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"ip_address" text,
	"last_used_at" timestamp with time zone,
	"last_used_ip" text,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "audit_events" DROP CONSTRAINT "audit_events_actor_type_check";--> statement-breakpoint
ALTER TABLE "clusters" ADD COLUMN "login_cert_hours" integer DEFAULT 12 NOT NULL;--> statement-breakpoint
ALTER TABLE "clusters" ADD COLUMN "connect_through" text DEFAULT 'primary' NOT NULL;--> statement-breakpoint
ALTER TABLE "clusters" ADD COLUMN "connect_node_id" uuid;--> statement-breakpoint
ALTER TABLE "clusters" ADD COLUMN "connect_host" text;--> statement-breakpoint
ALTER TABLE "clusters" ADD COLUMN "connect_port" integer;--> statement-breakpoint
ALTER TABLE "clusters" ADD COLUMN "connect_dbname" text DEFAULT 'postgres' NOT NULL;--> statement-breakpoint
ALTER TABLE "certificates" ADD COLUMN "device_id" uuid;--> statement-breakpoint
ALTER TABLE "device_authorizations" ADD CONSTRAINT "device_authorizations_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "device_authorizations" ADD CONSTRAINT "device_authorizations_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "devices" ADD CONSTRAINT "devices_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "device_authorizations_device_code_key" ON "device_authorizations" USING btree ("device_code_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "device_authorizations_pending_user_code_key" ON "device_authorizations" USING btree ("user_code") WHERE state = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "devices_credential_hash_key" ON "devices" USING btree ("credential_hash");--> statement-breakpoint
CREATE INDEX "devices_user_idx" ON "devices" USING btree ("user_id");--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "certificates_device_idx" ON "certificates" USING btree ("device_id");--> statement-breakpoint
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_actor_type_check" CHECK (actor_type IN ('user', 'token', 'system', 'cli', 'anonymous', 'node', 'device'));--> statement-breakpoint
ALTER TABLE "clusters" ADD CONSTRAINT "clusters_connect_through_check" CHECK (connect_through IN ('primary', 'pgbouncer', 'shared'));--> statement-breakpoint
ALTER TABLE "clusters" ADD CONSTRAINT "clusters_login_cert_hours_check" CHECK ("clusters"."login_cert_hours" BETWEEN 1 AND 168);