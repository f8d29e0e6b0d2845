CREATE SEQUENCE "public"."pki_version_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "pki_versions" (
	"cluster_id" uuid PRIMARY KEY NOT NULL,
	"version" bigint NOT NULL
);
--> statement-breakpoint
-- Every change to a cluster's CAs or CRLs gives the cluster a new PKI version, so each app
-- instance's cache of root.crt and CRL responses knows, with one indexed lookup, that it is stale —
-- whichever instance, job, CLI or SQL console made the change. The NOTIFY (sent at commit) lets
-- the embedded database's only process skip that lookup until something changed. The triggers are DEFERRED: the
-- version row is locked at commit, after every other lock the transaction took, so two PKI writes
-- of one cluster cannot deadlock on it, and the lock is held only while the commit finishes.
CREATE FUNCTION pki_versions_bump() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  target uuid;
BEGIN
  IF TG_TABLE_NAME = 'crls' THEN
    IF TG_OP = 'DELETE' THEN
      SELECT cluster_id INTO target FROM certificate_authorities WHERE id = OLD.ca_id;
    ELSE
      SELECT cluster_id INTO target FROM certificate_authorities WHERE id = NEW.ca_id;
    END IF;
  ELSIF TG_OP = 'DELETE' THEN
    target := OLD.cluster_id;
  ELSE
    target := NEW.cluster_id;
  END IF;
  IF target IS NOT NULL THEN
    INSERT INTO pki_versions (cluster_id, version) VALUES (target, nextval('pki_version_seq'))
    ON CONFLICT (cluster_id) DO UPDATE SET version = EXCLUDED.version;
    PERFORM pg_notify('pki_versions', target::text);
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER certificate_authorities_pki_version
  AFTER INSERT OR UPDATE OR DELETE ON certificate_authorities
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION pki_versions_bump();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER crls_pki_version
  AFTER INSERT OR UPDATE OR DELETE ON crls
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION pki_versions_bump();
