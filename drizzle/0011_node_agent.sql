CREATE TABLE "agent_enrollment_codes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"node_id" uuid NOT NULL,
	"code_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_by_user_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "node_agents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"node_id" uuid NOT NULL,
	"credential_prefix" text NOT NULL,
	"credential_hash" text NOT NULL,
	"enrolled_at" timestamp with time zone DEFAULT now() NOT NULL,
	"renewal_requested_at" timestamp with time zone,
	"first_confirmed_at" timestamp with time zone,
	"last_status" jsonb,
	"last_status_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "audit_events" DROP CONSTRAINT "audit_events_actor_type_check";--> statement-breakpoint
ALTER TABLE "agent_enrollment_codes" ADD CONSTRAINT "agent_enrollment_codes_node_id_nodes_id_fk" FOREIGN KEY ("node_id") REFERENCES "public"."nodes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_enrollment_codes" ADD CONSTRAINT "agent_enrollment_codes_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "node_agents" ADD CONSTRAINT "node_agents_node_id_nodes_id_fk" FOREIGN KEY ("node_id") REFERENCES "public"."nodes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "agent_enrollment_codes_hash_key" ON "agent_enrollment_codes" USING btree ("code_hash");--> statement-breakpoint
CREATE INDEX "agent_enrollment_codes_node_idx" ON "agent_enrollment_codes" USING btree ("node_id");--> statement-breakpoint
CREATE UNIQUE INDEX "node_agents_node_key" ON "node_agents" USING btree ("node_id");--> statement-breakpoint
CREATE UNIQUE INDEX "node_agents_credential_hash_key" ON "node_agents" USING btree ("credential_hash");--> statement-breakpoint
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_actor_type_check" CHECK (actor_type IN ('user', 'token', 'system', 'cli', 'anonymous', 'node'));