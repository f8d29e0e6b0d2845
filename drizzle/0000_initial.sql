CREATE TABLE "audit_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_type" text NOT NULL,
	"actor_id" text,
	"actor_label" text NOT NULL,
	"action" text NOT NULL,
	"object_type" text,
	"object_id" text,
	"cluster_id" text,
	"outcome" text DEFAULT 'success' NOT NULL,
	"ip_address" text,
	"user_agent" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "audit_events_actor_type_check" CHECK (actor_type IN ('user', 'token', 'system', 'cli')),
	CONSTRAINT "audit_events_outcome_check" CHECK (outcome IN ('success', 'failure', 'denied'))
);
--> statement-breakpoint
CREATE TABLE "clusters" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"key_algorithm" text DEFAULT 'ecdsa-p256' NOT NULL,
	"server_cert_days" integer DEFAULT 397 NOT NULL,
	"client_cert_days" integer DEFAULT 365 NOT NULL,
	"renew_before_days" integer DEFAULT 30 NOT NULL,
	"crl_days" integer DEFAULT 7 NOT NULL,
	"subject_template" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"shared_dns_names" text[] DEFAULT '{}'::text[] NOT NULL,
	"os_owner" text DEFAULT 'postgres' NOT NULL,
	"data_directory" text DEFAULT '/var/lib/postgresql/15/main' NOT NULL,
	"replication_user" text DEFAULT 'replicator' NOT NULL,
	"hba_auth_mode" text DEFAULT 'cert' NOT NULL,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "clusters_key_algorithm_check" CHECK (key_algorithm IN ('ecdsa-p256', 'ecdsa-p384', 'rsa-2048', 'rsa-3072', 'rsa-4096', 'ed25519')),
	CONSTRAINT "clusters_hba_auth_mode_check" CHECK (hba_auth_mode IN ('cert', 'scram-cert', 'scram')),
	CONSTRAINT "clusters_lifetimes_check" CHECK ("clusters"."server_cert_days" > 0 AND "clusters"."client_cert_days" > 0 AND "clusters"."crl_days" > 0 AND "clusters"."renew_before_days" >= 0)
);
--> statement-breakpoint
CREATE TABLE "nodes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"cluster_id" uuid NOT NULL,
	"hostname" text NOT NULL,
	"role" text NOT NULL,
	"port" integer DEFAULT 5432 NOT NULL,
	"dns_names" text[] DEFAULT '{}'::text[] NOT NULL,
	"ip_addresses" text[] DEFAULT '{}'::text[] NOT NULL,
	"removed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "nodes_role_check" CHECK (role IN ('primary', 'replica', 'pgpool', 'pgbouncer', 'other')),
	CONSTRAINT "nodes_port_check" CHECK ("nodes"."port" BETWEEN 1 AND 65535)
);
--> statement-breakpoint
CREATE TABLE "certificate_authorities" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"cluster_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"state" text DEFAULT 'active' NOT NULL,
	"parent_ca_id" uuid,
	"certificate_id" uuid NOT NULL,
	"external_chain_pem" text DEFAULT '' NOT NULL,
	"encrypted_private_key" text NOT NULL,
	"next_crl_number" bigint DEFAULT 1 NOT NULL,
	"retired_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "certificate_authorities_kind_check" CHECK (kind IN ('root', 'intermediate')),
	CONSTRAINT "certificate_authorities_state_check" CHECK (state IN ('active', 'retiring', 'retired'))
);
--> statement-breakpoint
CREATE TABLE "certificates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"cluster_id" uuid NOT NULL,
	"issuer_ca_id" uuid,
	"kind" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"serial_hex" text NOT NULL,
	"subject" text NOT NULL,
	"common_name" text NOT NULL,
	"dns_names" text[] DEFAULT '{}'::text[] NOT NULL,
	"ip_addresses" text[] DEFAULT '{}'::text[] NOT NULL,
	"key_algorithm" text NOT NULL,
	"not_before" timestamp with time zone NOT NULL,
	"not_after" timestamp with time zone NOT NULL,
	"fingerprint_sha256" text NOT NULL,
	"certificate_pem" text NOT NULL,
	"encrypted_private_key" text,
	"node_id" uuid,
	"database_user" text,
	"owner_user_id" text,
	"issued_by_user_id" text,
	"issued_by_token_id" uuid,
	"replaces_certificate_id" uuid,
	"from_csr" boolean DEFAULT false NOT NULL,
	"revoked_at" timestamp with time zone,
	"revocation_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "certificates_kind_check" CHECK (kind IN ('ca', 'server', 'client')),
	CONSTRAINT "certificates_status_check" CHECK (status IN ('active', 'superseded', 'revoked', 'expired')),
	CONSTRAINT "certificates_revocation_reason_check" CHECK (revocation_reason IS NULL OR revocation_reason IN ('unspecified', 'keyCompromise', 'cACompromise', 'affiliationChanged', 'superseded', 'cessationOfOperation', 'certificateHold', 'privilegeWithdrawn', 'aACompromise')),
	CONSTRAINT "certificates_revoked_consistency_check" CHECK ((status = 'revoked') = (revoked_at IS NOT NULL)),
	CONSTRAINT "certificates_validity_check" CHECK ("certificates"."not_after" > "certificates"."not_before")
);
--> statement-breakpoint
CREATE TABLE "crls" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"ca_id" uuid NOT NULL,
	"crl_number" bigint NOT NULL,
	"this_update" timestamp with time zone NOT NULL,
	"next_update" timestamp with time zone NOT NULL,
	"entry_count" integer NOT NULL,
	"der" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "accounts" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"account_id" text NOT NULL,
	"provider_id" text NOT NULL,
	"password" text,
	"access_token" text,
	"refresh_token" text,
	"id_token" text,
	"access_token_expires_at" timestamp with time zone,
	"refresh_token_expires_at" timestamp with time zone,
	"scope" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_token_clusters" (
	"token_id" uuid NOT NULL,
	"cluster_id" uuid NOT NULL,
	CONSTRAINT "api_token_clusters_token_id_cluster_id_pk" PRIMARY KEY("token_id","cluster_id")
);
--> statement-breakpoint
CREATE TABLE "api_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"token_hash" text NOT NULL,
	"role" text NOT NULL,
	"created_by_user_id" text,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "api_tokens_role_check" CHECK (role IN ('admin', 'developer', 'auditor'))
);
--> statement-breakpoint
CREATE TABLE "cluster_access" (
	"user_id" text NOT NULL,
	"cluster_id" uuid NOT NULL,
	"database_users" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cluster_access_user_id_cluster_id_pk" PRIMARY KEY("user_id","cluster_id")
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"token" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"ip_address" text,
	"user_agent" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" text PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"email_verified" boolean DEFAULT false NOT NULL,
	"image" text,
	"role" text DEFAULT 'developer' NOT NULL,
	"disabled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_role_check" CHECK (role IN ('admin', 'developer', 'auditor'))
);
--> statement-breakpoint
CREATE TABLE "verifications" (
	"id" text PRIMARY KEY NOT NULL,
	"identifier" text NOT NULL,
	"value" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "nodes" ADD CONSTRAINT "nodes_cluster_id_clusters_id_fk" FOREIGN KEY ("cluster_id") REFERENCES "public"."clusters"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificate_authorities" ADD CONSTRAINT "certificate_authorities_cluster_id_clusters_id_fk" FOREIGN KEY ("cluster_id") REFERENCES "public"."clusters"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificate_authorities" ADD CONSTRAINT "certificate_authorities_parent_ca_id_certificate_authorities_id_fk" FOREIGN KEY ("parent_ca_id") REFERENCES "public"."certificate_authorities"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificate_authorities" ADD CONSTRAINT "certificate_authorities_certificate_id_certificates_id_fk" FOREIGN KEY ("certificate_id") REFERENCES "public"."certificates"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_cluster_id_clusters_id_fk" FOREIGN KEY ("cluster_id") REFERENCES "public"."clusters"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_issuer_ca_id_certificate_authorities_id_fk" FOREIGN KEY ("issuer_ca_id") REFERENCES "public"."certificate_authorities"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_node_id_nodes_id_fk" FOREIGN KEY ("node_id") REFERENCES "public"."nodes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_owner_user_id_users_id_fk" FOREIGN KEY ("owner_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_issued_by_user_id_users_id_fk" FOREIGN KEY ("issued_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_issued_by_token_id_api_tokens_id_fk" FOREIGN KEY ("issued_by_token_id") REFERENCES "public"."api_tokens"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_replaces_certificate_id_certificates_id_fk" FOREIGN KEY ("replaces_certificate_id") REFERENCES "public"."certificates"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crls" ADD CONSTRAINT "crls_ca_id_certificate_authorities_id_fk" FOREIGN KEY ("ca_id") REFERENCES "public"."certificate_authorities"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_token_clusters" ADD CONSTRAINT "api_token_clusters_token_id_api_tokens_id_fk" FOREIGN KEY ("token_id") REFERENCES "public"."api_tokens"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_token_clusters" ADD CONSTRAINT "api_token_clusters_cluster_id_clusters_id_fk" FOREIGN KEY ("cluster_id") REFERENCES "public"."clusters"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cluster_access" ADD CONSTRAINT "cluster_access_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cluster_access" ADD CONSTRAINT "cluster_access_cluster_id_clusters_id_fk" FOREIGN KEY ("cluster_id") REFERENCES "public"."clusters"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_events_occurred_idx" ON "audit_events" USING btree ("occurred_at");--> statement-breakpoint
CREATE INDEX "audit_events_cluster_idx" ON "audit_events" USING btree ("cluster_id","occurred_at");--> statement-breakpoint
CREATE INDEX "audit_events_action_idx" ON "audit_events" USING btree ("action");--> statement-breakpoint
CREATE UNIQUE INDEX "clusters_name_key" ON "clusters" USING btree ("name");--> statement-breakpoint
CREATE UNIQUE INDEX "nodes_cluster_hostname_key" ON "nodes" USING btree ("cluster_id","hostname") WHERE removed_at IS NULL;--> statement-breakpoint
CREATE INDEX "nodes_cluster_idx" ON "nodes" USING btree ("cluster_id");--> statement-breakpoint
CREATE UNIQUE INDEX "certificate_authorities_certificate_key" ON "certificate_authorities" USING btree ("certificate_id");--> statement-breakpoint
CREATE INDEX "certificate_authorities_cluster_idx" ON "certificate_authorities" USING btree ("cluster_id");--> statement-breakpoint
CREATE UNIQUE INDEX "certificates_issuer_serial_key" ON "certificates" USING btree ("issuer_ca_id","serial_hex");--> statement-breakpoint
CREATE UNIQUE INDEX "certificates_one_active_server_per_node" ON "certificates" USING btree ("node_id") WHERE kind = 'server' AND status = 'active';--> statement-breakpoint
CREATE INDEX "certificates_active_expiry_idx" ON "certificates" USING btree ("not_after") WHERE status = 'active';--> statement-breakpoint
CREATE INDEX "certificates_cluster_expiry_idx" ON "certificates" USING btree ("cluster_id","not_after");--> statement-breakpoint
CREATE INDEX "certificates_node_idx" ON "certificates" USING btree ("node_id");--> statement-breakpoint
CREATE INDEX "certificates_serial_idx" ON "certificates" USING btree ("serial_hex");--> statement-breakpoint
CREATE UNIQUE INDEX "crls_ca_number_key" ON "crls" USING btree ("ca_id","crl_number");--> statement-breakpoint
CREATE INDEX "crls_next_update_idx" ON "crls" USING btree ("next_update");--> statement-breakpoint
CREATE INDEX "accounts_user_idx" ON "accounts" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "api_tokens_hash_key" ON "api_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "sessions_token_key" ON "sessions" USING btree ("token");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_key" ON "users" USING btree (lower("email"));