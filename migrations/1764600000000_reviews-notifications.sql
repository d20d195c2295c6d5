-- Up Migration

-- Reviews (评价): one per order, only of a completed order, by the order's own customer, of the
-- technician who served it. The composite FK makes a review of another store's order impossible,
-- UNIQUE (tenant_id, order_id) makes a second review impossible, and the trigger below makes a
-- review of an order that never happened (not completed, someone else's) impossible — even for
-- code that forgets to check. The app may change only the reply and the moderation columns.
CREATE TABLE reviews (
  tenant_id         uuid NOT NULL REFERENCES tenants (id),
  id                uuid NOT NULL DEFAULT gen_random_uuid(),
  order_id          uuid NOT NULL,
  customer_id       uuid NOT NULL,
  technician_id     uuid NOT NULL,
  stars             integer NOT NULL CHECK (stars BETWEEN 1 AND 5),
  skill_stars       integer NOT NULL CHECK (skill_stars BETWEEN 1 AND 5),
  attitude_stars    integer NOT NULL CHECK (attitude_stars BETWEEN 1 AND 5),
  punctuality_stars integer NOT NULL CHECK (punctuality_stars BETWEEN 1 AND 5),
  tags              text[] NOT NULL DEFAULT '{}' CHECK (
                      cardinality(tags) <= 8 AND tags <@ ARRAY['skilled', 'right_pressure', 'punctual', 'friendly',
                      'clean', 'relaxing', 'good_value', 'good_communication', 'late', 'too_light', 'rushed',
                      'unprofessional']::text[]),
  text              text CHECK (length(text) <= 500),
  anonymous         boolean NOT NULL DEFAULT false,
  -- what the public sees instead of the customer: a masked nickname (王**) or 匿名用户
  reviewer_label    text NOT NULL CHECK (length(reviewer_label) BETWEEN 1 AND 30),
  reply             text CHECK (length(reply) BETWEEN 1 AND 500),
  replied_by        uuid,
  replied_at        timestamptz,
  hidden_at         timestamptz,
  hidden_by         uuid,
  hidden_reason     text CHECK (length(hidden_reason) <= 200),
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, order_id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
  FOREIGN KEY (tenant_id, technician_id) REFERENCES technicians (tenant_id, id),
  FOREIGN KEY (tenant_id, replied_by) REFERENCES staff_accounts (tenant_id, id),
  FOREIGN KEY (tenant_id, hidden_by) REFERENCES staff_accounts (tenant_id, id),
  CHECK ((reply IS NULL) = (replied_at IS NULL)),
  CHECK ((hidden_at IS NULL) = (hidden_by IS NULL))
);
CREATE INDEX reviews_technician_idx ON reviews (tenant_id, technician_id, created_at);
CREATE INDEX reviews_customer_idx ON reviews (tenant_id, customer_id, created_at);
CREATE TRIGGER reviews_touch BEFORE UPDATE ON reviews FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

CREATE FUNCTION reviews_require_completed_order() RETURNS trigger
  LANGUAGE plpgsql AS $$
DECLARE
  o record;
BEGIN
  -- A row for another store than the current one is for RLS to refuse (its WITH CHECK runs
  -- after this trigger); here the order would merely look missing.
  IF current_tenant_id() IS NOT NULL AND NEW.tenant_id IS DISTINCT FROM current_tenant_id() THEN
    RETURN NEW;
  END IF;
  SELECT status, customer_id, technician_id INTO o
    FROM orders WHERE tenant_id = NEW.tenant_id AND id = NEW.order_id;
  IF NOT FOUND OR o.status <> 'completed' OR o.customer_id <> NEW.customer_id
     OR o.technician_id IS DISTINCT FROM NEW.technician_id THEN
    RAISE EXCEPTION 'a review needs a completed order of this customer, served by this technician'
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER reviews_require_completed_order BEFORE INSERT ON reviews
  FOR EACH ROW EXECUTE FUNCTION reviews_require_completed_order();

-- A customer's abuse report (举报) on a review; one per customer and review.
CREATE TABLE review_reports (
  tenant_id   uuid NOT NULL REFERENCES tenants (id),
  id          uuid NOT NULL DEFAULT gen_random_uuid(),
  review_id   uuid NOT NULL,
  customer_id uuid NOT NULL,
  reason      text NOT NULL CHECK (reason IN ('abusive', 'privacy', 'spam', 'false', 'other')),
  details     text CHECK (length(details) <= 500),
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, review_id, customer_id),
  FOREIGN KEY (tenant_id, review_id) REFERENCES reviews (tenant_id, id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
);

-- The in-app notification centre (站内信). One row per recipient; title and body are rendered in
-- the recipient's locale when written, so the list needs no templates. `channels` records where
-- the notification was sent (in_app always, email/sms when the recipient has an address for it).
-- The recipient is polymorphic (customer, technician or staff), hence no foreign key to it.
CREATE TABLE notifications (
  tenant_id      uuid NOT NULL REFERENCES tenants (id),
  id             uuid NOT NULL DEFAULT gen_random_uuid(),
  recipient_type text NOT NULL CHECK (recipient_type IN ('customer', 'technician', 'staff')),
  recipient_id   uuid NOT NULL,
  template       text NOT NULL CHECK (template ~ '^[a-z][a-z0-9_.]{1,63}$'),
  params         jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(params) = 'object'),
  locale         text NOT NULL CHECK (locale IN ('zh-CN', 'en')),
  title          text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  body           text NOT NULL CHECK (length(body) BETWEEN 1 AND 1000),
  channels       text[] NOT NULL DEFAULT '{in_app}' CHECK (channels <@ ARRAY['in_app', 'email', 'sms']::text[]),
  order_id       uuid,
  read_at        timestamptz,
  created_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
);
CREATE INDEX notifications_recipient_idx ON notifications (tenant_id, recipient_type, recipient_id, created_at DESC);
CREATE INDEX notifications_unread_idx ON notifications (tenant_id, recipient_type, recipient_id) WHERE read_at IS NULL;

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['reviews', 'review_reports', 'notifications']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I FOR ALL
         USING (tenant_id = (SELECT current_tenant_id()))
         WITH CHECK (tenant_id = (SELECT current_tenant_id()))', t);
  END LOOP;
END
$$;

GRANT SELECT, INSERT ON reviews, review_reports, notifications TO massage_app;
-- A review's content is the customer's and final; the store only replies and moderates.
GRANT UPDATE (reply, replied_by, replied_at, hidden_at, hidden_by, hidden_reason, updated_at) ON reviews TO massage_app;
GRANT UPDATE (read_at) ON notifications TO massage_app;

-- Down Migration
DROP TABLE notifications, review_reports, reviews;
DROP FUNCTION reviews_require_completed_order();
