-- Orders demo data, loaded by `quiver seed orders` in one transaction.
--
-- Placeholders (substituted textually before the script runs):
--   {{tenants}}               number of tenants
--   {{users_per_tenant}}      users per tenant (user 1 is the admin)
--   {{agents_per_tenant}}     agents per tenant (agent a logs in as user a+1)
--   {{products_per_tenant}}   products per tenant (4 categories x 2 types)
--   {{customers_per_tenant}}  customers per tenant
--   {{orders_per_customer}}   orders per customer
--   {{items_per_order}}       order items per order
--   {{calls_per_customer}}    call logs per customer
--
-- Deterministic: every uuid is md5('<kind>-<numbers>')::uuid, every timestamp
-- is timestamptz '2025-03-03 08:00:00+00' plus a whole number of minutes or
-- hours (no day/month arithmetic, so the session TimeZone does not matter),
-- no random(), no now(); messages.id (identity) is filled in a fixed ORDER BY.
-- All inserts are set-based and in foreign-key order, and no row is updated
-- afterwards (an UPDATE would let the set_updated_at trigger stamp now()).
-- The audit trigger records every insert into audit_logs (with the load's
-- own time: that is the one non-deterministic part, by design of the trail).
--
-- Numbering: tenant t = 1..T; user u, agent a, product p, customer c = 1..N
-- within their tenant; order o = 1..O within its customer and n = (c-1)*O + o
-- within its tenant; item i = 1..I within its order; call k = 1..K within its
-- customer. Product p has type y = (p-1) % 8 + 1 in category (y+1) / 2.
--
-- Per tenant, customer 1's last call has a proposed order in progress
-- ('draft', two items) and customer 2's last call one presented to the
-- customer ('presented', three items); their order_items name products of
-- the same tenant.
--
-- Needs an empty orders schema.

DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM orders.tenants) THEN
    RAISE EXCEPTION 'orders seed: orders.tenants is not empty; the demo data set only loads into an empty orders schema';
  END IF;
END
$$;

-- ---------------------------------------------------------------------------
-- Working tables (temporary, dropped at the end; a failed run rolls them back).
-- ---------------------------------------------------------------------------
CREATE TEMP TABLE _seed_tenant AS
SELECT t,
       md5('tenant-' || t)::uuid AS id,
       (ARRAY['Northwind Traders','Contoso Foods','Fabrikam Wholesale','Tailspin Provisions',
              'Wingtip Catering Supply','Alpine Grocers','Harbor Street Deli Supply','Bluebird Pantry'])[(t - 1) % 8 + 1]
         || CASE WHEN t > 8 THEN ' ' || ((t - 1) / 8 + 1) ELSE '' END AS name,
       lower((ARRAY['northwind','contoso','fabrikam','tailspin','wingtip','alpine','harbor','bluebird'])[(t - 1) % 8 + 1])
         || CASE WHEN t > 8 THEN ((t - 1) / 8 + 1)::text ELSE '' END AS slug,
       timestamptz '2025-03-03 08:00:00+00' + interval '1 hour' * (t - 1) AS created_at
FROM generate_series(1, {{tenants}}) AS t;

CREATE TEMP TABLE _seed_product AS
SELECT st.t, p, y, (y + 1) / 2 AS k,
       md5('product-' || st.t || '-' || p)::uuid AS id,
       (ARRAY['Colombian Roast Coffee','Earl Grey Tea','Sourdough Loaf','Butter Croissants',
              'Whole Milk','Aged Cheddar','Laundry Liquid','Paper Towels'])[y]
         || CASE WHEN p > 8 THEN ' No. ' || ((p - 1) / 8 + 1) ELSE '' END AS name,
       (ARRAY['250g','20 bags','800g','6 pack','1L','200g','2L','12 rolls'])[y] AS size,
       ((ARRAY[7.50, 3.20, 4.10, 5.60, 1.30, 6.90, 9.80, 8.40])[y] + ((p - 1) / 8) * 0.25)::numeric(8,2) AS price,
       st.created_at + interval '10 minutes' + interval '1 minute' * p AS created_at
FROM _seed_tenant st,
     generate_series(1, {{products_per_tenant}}) AS p,
     LATERAL (SELECT (p - 1) % 8 + 1 AS y) yy;

CREATE TEMP TABLE _seed_customer AS
SELECT st.t, c,
       md5('customer-' || st.t || '-' || c)::uuid AS id,
       (ARRAY['Ada','Ben','Chloe','Daniel','Elena','Felix','Grace','Hiro','Isabel','Jonas','Kira','Liam'])[(c - 1) % 12 + 1] AS fn,
       (ARRAY['Andersen','Brooks','Castillo','Dubois','Eriksen','Fischer','Garcia','Hoffmann','Ito','Jensen','Kowalski'])[((c - 1) * 7 + st.t) % 11 + 1] AS ln,
       '+1-555-' || lpad((st.t * 1000 + c)::text, 7, '0') AS phone,
       st.created_at + interval '2 hours' + interval '1 minute' * c AS created_at
FROM _seed_tenant st, generate_series(1, {{customers_per_tenant}}) AS c;

CREATE TEMP TABLE _seed_order AS
SELECT sc.t, sc.c, o, n,
       md5('order-' || sc.t || '-' || n)::uuid AS id,
       -- The order_status values, as text (orders.status is a text column).
       (ARRAY['delivered','shipped','processing','pending','delivered','canceled',
              'returned','refunded','user_confirmed','accepted'])[(n - 1) % 10 + 1] AS status,
       timestamptz '2025-03-10 09:00:00+00'
         + interval '1 minute' * ((n - 1)::bigint * 30 + sc.t * 7) AS order_date
FROM _seed_customer sc,
     generate_series(1, {{orders_per_customer}}) AS o,
     LATERAL (SELECT (sc.c - 1) * {{orders_per_customer}} + o AS n) nn;

-- ---------------------------------------------------------------------------
-- Shared lookups: industries and roles
-- ---------------------------------------------------------------------------
INSERT INTO orders.industries (id, name, description, is_active, created_at, updated_at)
SELECT md5('industry-' || i)::uuid, v.name, v.description, i <> 8,
       timestamptz '2025-03-01 00:00:00+00', timestamptz '2025-03-01 00:00:00+00'
FROM (VALUES (1, 'Restaurants', 'Restaurants, cafes and bars'),
             (2, 'Hotels', 'Hotels and guest houses'),
             (3, 'Retail', 'Grocery and convenience stores'),
             (4, 'Healthcare', 'Clinics, care homes and hospitals'),
             (5, 'Education', 'Schools, universities and canteens'),
             (6, 'Offices', 'Office pantries and corporate catering'),
             (7, 'Events', 'Event venues and caterers'),
             (8, 'Other', 'Not yet classified')) AS v(i, name, description);

INSERT INTO orders.roles (id, name, description, permissions, is_active, created_at, updated_at)
SELECT md5('role-' || v.name)::uuid, v.name, v.description, v.permissions::jsonb, true,
       timestamptz '2025-03-01 00:00:00+00', timestamptz '2025-03-01 00:00:00+00'
FROM (VALUES ('admin',   'Manages the tenant: users, keys, access',  '{"tenant": ["read", "write"], "users": ["read", "write"], "orders": ["read", "write"], "products": ["read", "write"]}'),
             ('manager', 'Manages products, specials and orders',    '{"orders": ["read", "write"], "products": ["read", "write"], "reports": ["read"]}'),
             ('agent',   'Takes calls and builds orders',            '{"orders": ["read", "write"], "customers": ["read", "write"], "products": ["read"]}'),
             ('viewer',  'Reads orders and customers',               '{"orders": ["read"], "customers": ["read"]}')) AS v(name, description, permissions);

-- ---------------------------------------------------------------------------
-- Tenants and their access configuration
-- ---------------------------------------------------------------------------
INSERT INTO orders.tenants (id, name, domain, settings, is_active, created_at, updated_at)
SELECT st.id, st.name, st.slug || '.example.com',
       jsonb_build_object('timezone', (ARRAY['America/New_York','Europe/London','Europe/Berlin','America/Chicago'])[(st.t - 1) % 4 + 1],
                          'currency', (ARRAY['USD','GBP','EUR','USD'])[(st.t - 1) % 4 + 1],
                          'orderCutoff', '16:00', 'smsConfirmations', st.t % 2 = 1),
       true, st.created_at, st.created_at
FROM _seed_tenant st;

INSERT INTO orders.access_phones (id, tenant_id, number, description, is_active, created_at, updated_at)
SELECT md5('access-phone-' || st.t || '-' || k)::uuid, st.id,
       '+1-800-555-' || lpad((st.t * 10 + k)::text, 4, '0'),
       CASE k WHEN 1 THEN 'Order line' ELSE 'After-hours line' END,
       k = 1 OR st.t % 2 = 0,
       st.created_at + interval '5 minutes', st.created_at + interval '5 minutes'
FROM _seed_tenant st, generate_series(1, 2) AS k;

-- Entries 3 and 4 admit this machine (loopback), so a newcomer exploring the
-- demo data locally is not refused; a real tenant lists only its networks.
INSERT INTO orders.ip_allowlist (id, tenant_id, ip_address, description, is_active, created_at, updated_at)
SELECT md5('ip-allowlist-' || st.t || '-' || k)::uuid, st.id,
       CASE k WHEN 1 THEN ('10.' || st.t % 250 || '.0.0/16')::cidr
              WHEN 2 THEN ('203.0.113.' || st.t % 250 || '/32')::cidr
              WHEN 3 THEN '127.0.0.0/8'::cidr
              ELSE '::1/128'::cidr END,
       CASE k WHEN 1 THEN 'Office network' WHEN 2 THEN 'Warehouse gateway' ELSE 'Local development (loopback)' END,
       true, st.created_at + interval '6 minutes', st.created_at + interval '6 minutes'
FROM _seed_tenant st, generate_series(1, 4) AS k;

-- The key column holds a hash of the key (fake keys; never a usable secret).
INSERT INTO orders.api_keys (id, tenant_id, key, name, permissions, expires_at, is_active, created_at, updated_at)
SELECT md5('api-key-' || st.t || '-' || k)::uuid, st.id,
       'sha256$' || encode(sha256(convert_to('qk_demo_' || st.t || '_' || k, 'UTF8')), 'hex'),
       CASE k WHEN 1 THEN 'ERP integration' ELSE 'Old webshop (expired)' END,
       CASE k WHEN 1 THEN '{"orders": ["read", "write"], "products": ["read"]}'::jsonb ELSE '{"orders": ["read"]}'::jsonb END,
       CASE k WHEN 1 THEN st.created_at + interval '8760 hours' ELSE st.created_at + interval '720 hours' END,
       k = 1,
       st.created_at + interval '7 minutes', st.created_at + interval '7 minutes'
FROM _seed_tenant st, generate_series(1, 2) AS k;

-- ---------------------------------------------------------------------------
-- Users, role assignments, preferences, agents
-- ---------------------------------------------------------------------------
INSERT INTO orders.users (id, tenant_id, email, username, password_hash, last_login, is_active, created_at, updated_at)
SELECT md5('user-' || st.t || '-' || u)::uuid, st.id,
       CASE u WHEN 1 THEN 'admin' ELSE 'user' || u END || '@' || st.slug || '.example.com',
       st.slug || '_' || CASE u WHEN 1 THEN 'admin' ELSE 'user' || u END,
       '$argon2id$v=19$m=65536,t=3,p=4$' || rtrim(encode(decode(md5('salt-' || st.t || '-' || u), 'hex'), 'base64'), '=')
         || '$' || rtrim(encode(decode(md5('pw-' || st.t || '-' || u) || md5('pw2-' || st.t || '-' || u), 'hex'), 'base64'), '='),
       CASE WHEN u % 5 <> 0 THEN timestamptz '2025-04-01 08:00:00+00' + interval '1 minute' * (st.t * 100 + u) END,
       u % 7 <> 0,
       st.created_at + interval '1 minute' * u, st.created_at + interval '1 minute' * u
FROM _seed_tenant st, generate_series(1, {{users_per_tenant}}) AS u;

-- User 1 is admin (and a former, deactivated manager), user 2 manager, the
-- rest agents; every fourth user is also a viewer.
INSERT INTO orders.user_roles (id, user_id, role_id, tenant_id, is_active, created_at, updated_at)
SELECT md5('user-role-' || st.t || '-' || u || '-' || r.name)::uuid,
       md5('user-' || st.t || '-' || u)::uuid, md5('role-' || r.name)::uuid, st.id,
       NOT (u = 1 AND r.name = 'manager'),
       st.created_at + interval '1 minute' * u + interval '30 seconds',
       st.created_at + interval '1 minute' * u + interval '30 seconds'
FROM _seed_tenant st, generate_series(1, {{users_per_tenant}}) AS u,
     LATERAL (SELECT unnest(CASE WHEN u = 1 THEN ARRAY['admin','manager']
                                 WHEN u = 2 THEN ARRAY['manager']
                                 ELSE ARRAY['agent'] END
                            || CASE WHEN u % 4 = 0 THEN ARRAY['viewer'] ELSE ARRAY[]::text[] END) AS name) r;

INSERT INTO orders.user_preferences (id, user_id, personal, business, orders, created_at, updated_at)
SELECT md5('user-preferences-' || st.t || '-' || u)::uuid, md5('user-' || st.t || '-' || u)::uuid,
       jsonb_build_object('language', (ARRAY['en','de','fr','es'])[u % 4 + 1], 'theme', CASE WHEN u % 2 = 0 THEN 'dark' ELSE 'light' END),
       jsonb_build_object('defaultView', CASE WHEN u = 1 THEN 'dashboard' ELSE 'calls' END),
       jsonb_build_object('defaultSort', 'order_date', 'pageSize', 25 * (u % 3 + 1)),
       st.created_at + interval '1 minute' * u, st.created_at + interval '1 minute' * u
FROM _seed_tenant st, generate_series(1, {{users_per_tenant}}) AS u;

INSERT INTO orders.agents (id, tenant_id, user_id, name, email, phone_number, department, is_active, created_at, updated_at)
SELECT md5('agent-' || st.t || '-' || a)::uuid, st.id,
       CASE WHEN a + 1 <= {{users_per_tenant}} THEN md5('user-' || st.t || '-' || (a + 1))::uuid END,
       (ARRAY['Sam Porter','Ruth Ames','Omar Haddad','Lena Vogel','Tom Becker','Nia Okoro','Marco Silva','June Park'])[(a - 1) % 8 + 1]
         || CASE WHEN a > 8 THEN ' ' || ((a - 1) / 8 + 1) ELSE '' END,
       'agent' || a || '@' || st.slug || '.example.com',
       '+1-555-' || lpad((st.t * 100 + a)::text, 4, '0'),
       (ARRAY['Inside Sales','Customer Care','Key Accounts'])[(a - 1) % 3 + 1],
       a % 6 <> 0,
       st.created_at + interval '20 minutes' + interval '1 minute' * a,
       st.created_at + interval '20 minutes' + interval '1 minute' * a
FROM _seed_tenant st, generate_series(1, {{agents_per_tenant}}) AS a;

-- ---------------------------------------------------------------------------
-- Product catalogue
-- ---------------------------------------------------------------------------
INSERT INTO orders.product_categories (id, tenant_id, name, description, is_active, created_at, updated_at)
SELECT md5('category-' || st.t || '-' || k)::uuid, st.id,
       (ARRAY['Coffee & Tea','Bakery','Dairy','Cleaning Supplies'])[k],
       (ARRAY['Beans, ground coffee and teas','Fresh bread and pastries','Milk, cream and cheese','Detergents and paper goods'])[k],
       true, st.created_at + interval '8 minutes', st.created_at + interval '8 minutes'
FROM _seed_tenant st, generate_series(1, 4) AS k;

INSERT INTO orders.product_types (id, tenant_id, category_id, name, description, is_active, created_at, updated_at)
SELECT md5('product-type-' || st.t || '-' || y)::uuid, st.id,
       md5('category-' || st.t || '-' || ((y + 1) / 2))::uuid,
       (ARRAY['Coffee','Tea','Bread','Pastry','Milk','Cheese','Detergent','Paper Goods'])[y],
       NULL, true, st.created_at + interval '9 minutes', st.created_at + interval '9 minutes'
FROM _seed_tenant st, generate_series(1, 8) AS y;

-- Every eleventh product is not filed under a type (product_type_id is optional).
INSERT INTO orders.products (id, tenant_id, name, description, product_type_id, category_id, sku, is_active,
                             created_at, updated_at, size)
SELECT sp.id, md5('tenant-' || sp.t)::uuid, sp.name,
       sp.name || ', ' || sp.size || ', list price ' || sp.price,
       CASE WHEN sp.p % 11 <> 0 THEN md5('product-type-' || sp.t || '-' || sp.y)::uuid END,
       md5('category-' || sp.t || '-' || sp.k)::uuid,
       'T' || sp.t || '-' || lpad(sp.p::text, 5, '0'),
       sp.p % 13 <> 0,
       sp.created_at, sp.created_at, sp.size
FROM _seed_product sp
ORDER BY sp.t, sp.p;

-- Every fourth product has a special: running, upcoming, or ended.
INSERT INTO orders.product_specials (id, tenant_id, product_id, name, start_date, end_date, is_active, created_at, updated_at)
SELECT md5('product-special-' || sp.t || '-' || sp.p)::uuid, md5('tenant-' || sp.t)::uuid, sp.id,
       (ARRAY['Spring offer: 10% off','Buy 5 get 1 free','Clearance'])[(sp.p / 4) % 3 + 1] || ' - ' || sp.name,
       timestamptz '2025-03-01 00:00:00+00' + interval '168 hours' * ((sp.p / 4) % 3 - 1) * 4,
       timestamptz '2025-03-01 00:00:00+00' + interval '168 hours' * ((sp.p / 4) % 3 - 1) * 4 + interval '720 hours',
       (sp.p / 4) % 3 <> 0,
       sp.created_at + interval '1 hour', sp.created_at + interval '1 hour'
FROM _seed_product sp
WHERE sp.p % 4 = 1;

-- ---------------------------------------------------------------------------
-- Customers and their preferences
-- ---------------------------------------------------------------------------
-- Customer 1 of each tenant also has a login (the tenant's last user).
INSERT INTO orders.customers (id, tenant_id, user_id, first_name, last_name, email, phone, address, city, state,
                              postal_code, country, industry_id, company, is_active, created_at, updated_at)
SELECT sc.id, md5('tenant-' || sc.t)::uuid,
       CASE WHEN sc.c = 1 AND {{users_per_tenant}} >= 2 THEN md5('user-' || sc.t || '-' || {{users_per_tenant}})::uuid END,
       sc.fn, sc.ln,
       CASE WHEN sc.c % 6 <> 0 THEN lower(sc.fn || '.' || sc.ln || sc.c) || '@customer' || sc.t || '.example.org' END,
       sc.phone,
       (100 + sc.c) || ' ' || (ARRAY['Main St','Harbor Rd','Elm Ave','Market St','Station Rd'])[sc.c % 5 + 1],
       (ARRAY['Springfield','Riverton','Lakeside','Fairview','Georgetown'])[(sc.c + sc.t) % 5 + 1],
       (ARRAY['IL','OR','WA','TX','NY'])[(sc.c + sc.t) % 5 + 1],
       lpad(((sc.t * 7919 + sc.c * 104729) % 90000 + 10000)::text, 5, '0'),
       'US',
       CASE WHEN sc.c % 9 <> 0 THEN md5('industry-' || ((sc.c - 1) % 7 + 1))::uuid END,
       CASE WHEN sc.c % 4 <> 0 THEN sc.ln || ' ' || (ARRAY['Bistro','Hotel','Market','Clinic','Academy','Offices','Events'])[(sc.c - 1) % 7 + 1] END,
       sc.c % 17 <> 0,
       sc.created_at, sc.created_at
FROM _seed_customer sc
ORDER BY sc.t, sc.c;

-- favorites: the customer's three most ordered kinds of product (by id).
INSERT INTO orders.customer_preferences (id, customer_id, personal, business, orders, created_at, updated_at, favorites)
SELECT md5('customer-preferences-' || sc.t || '-' || sc.c)::uuid, sc.id,
       jsonb_build_object('preferredContact', (ARRAY['phone','email','sms'])[sc.c % 3 + 1], 'callWindow', '09:00-12:00'),
       jsonb_build_object('deliveryDays', CASE WHEN sc.c % 2 = 0 THEN '["Mon", "Thu"]'::jsonb ELSE '["Tue", "Fri"]'::jsonb END,
                          'invoiceByEmail', sc.c % 6 <> 0),
       jsonb_build_object('standingOrder', sc.c % 3 = 0, 'poRequired', sc.c % 5 = 0),
       sc.created_at, sc.created_at,
       (SELECT coalesce(jsonb_agg(sp.id ORDER BY sp.p), '[]'::jsonb)
          FROM _seed_product sp
         WHERE sp.t = sc.t AND sp.p IN ((sc.c - 1) % greatest(1, {{products_per_tenant}}) + 1,
                                        (sc.c + 2) % greatest(1, {{products_per_tenant}}) + 1,
                                        (sc.c + 5) % greatest(1, {{products_per_tenant}}) + 1))
FROM _seed_customer sc;

-- ---------------------------------------------------------------------------
-- Orders and their items
-- ---------------------------------------------------------------------------
INSERT INTO orders.orders (id, tenant_id, customer_id, order_date, status, notes, created_at, updated_at)
SELECT so.id, md5('tenant-' || so.t)::uuid, md5('customer-' || so.t || '-' || so.c)::uuid,
       so.order_date, so.status,
       CASE WHEN so.n % 4 = 0 THEN (ARRAY['Deliver to back door','Call before delivery','Invoice to head office'])[(so.n / 4) % 3 + 1] END,
       so.order_date, so.order_date + interval '1 hour'
FROM _seed_order so
ORDER BY so.t, so.n;

-- Item i of order n: product ((n-1) + (i-1) * step) % P + 1, so an order's
-- items are distinct products while items_per_order <= products_per_tenant
-- (order items need products_per_tenant >= 1).
INSERT INTO orders.order_items (id, tenant_id, order_id, product_id, quantity, created_at, updated_at)
SELECT md5('order-item-' || so.t || '-' || so.n || '-' || i)::uuid, md5('tenant-' || so.t)::uuid, so.id,
       md5('product-' || so.t || '-' || (((so.n - 1) + (i - 1) * greatest(1, {{products_per_tenant}} / greatest(1, {{items_per_order}}))) % {{products_per_tenant}} + 1))::uuid,
       (so.n * 3 + i * 5) % 12 + 1,
       so.order_date, so.order_date
FROM _seed_order so, generate_series(1, {{items_per_order}}) AS i
ORDER BY so.t, so.n, i;

-- ---------------------------------------------------------------------------
-- Calls: customer c's call k is handled by agent (c + k) % A + 1; every
-- second call re-placed the customer's first order; some need a follow-up.
-- ---------------------------------------------------------------------------
INSERT INTO orders.call_logs (id, tenant_id, customer_id, agent_id, call_date, duration, notes, follow_up_date, reorder_id,
                              created_at, updated_at)
SELECT md5('call-' || sc.t || '-' || sc.c || '-' || k)::uuid, md5('tenant-' || sc.t)::uuid, sc.id,
       CASE WHEN {{agents_per_tenant}} >= 1 THEN md5('agent-' || sc.t || '-' || ((sc.c + k) % greatest(1, {{agents_per_tenant}}) + 1))::uuid END,
       cd.call_date,
       60 + (sc.c * 37 + k * 53) % 900,
       (ARRAY['Weekly restock','Asked about specials','Complaint about late delivery','New product inquiry','Reorder as usual'])[(sc.c + k) % 5 + 1],
       CASE WHEN (sc.c + k) % 3 = 0 THEN cd.call_date + interval '48 hours' END,
       CASE WHEN k % 2 = 0 AND {{orders_per_customer}} >= 1 THEN md5('order-' || sc.t || '-' || ((sc.c - 1) * {{orders_per_customer}} + 1))::uuid END,
       cd.call_date, cd.call_date + interval '20 minutes'
FROM _seed_customer sc, generate_series(1, {{calls_per_customer}}) AS k,
     LATERAL (SELECT timestamptz '2025-04-07 09:00:00+00' + interval '1 minute' * ((k - 1) * 2880 + sc.c * 9 + sc.t * 3) AS call_date) cd
ORDER BY sc.t, sc.c, k;

-- ---------------------------------------------------------------------------
-- Proposed orders in progress on the last call of customers 1 and 2, and
-- their cached specials / favourites (proposed_orders_data).
-- ---------------------------------------------------------------------------
CREATE TEMP TABLE _seed_proposed AS
SELECT sc.t, sc.c, sc.id AS customer_id, sc.phone,
       md5('proposed-order-' || sc.t || '-' || sc.c)::uuid AS id,
       md5('call-' || sc.t || '-' || sc.c || '-' || {{calls_per_customer}})::uuid AS call_id,
       CASE sc.c WHEN 1 THEN 'draft' ELSE 'presented' END AS status,
       timestamptz '2025-04-07 09:00:00+00'
         + interval '1 minute' * (({{calls_per_customer}} - 1) * 2880 + sc.c * 9 + sc.t * 3) AS call_date
FROM _seed_customer sc
WHERE sc.c <= 2 AND {{calls_per_customer}} >= 1;

INSERT INTO orders.proposed_orders (id, tenant_id, customer_id, call_id, proposed_date, status, order_items,
                                    last_updated_by, last_device_id, created_at, updated_at)
SELECT pr.id, md5('tenant-' || pr.t)::uuid, pr.customer_id, pr.call_id,
       pr.call_date + interval '24 hours', pr.status,
       (SELECT coalesce(jsonb_agg(jsonb_build_object(
                 'productId', sp.id, 'description', sp.name, 'price', sp.price,
                 'quantity', sp.p % 5 + 1, 'size', sp.size,
                 -- a 1x1 PNG stands in for the product thumbnail
                 'thumbnail', 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==')
               ORDER BY sp.p), '[]'::jsonb)
          FROM _seed_product sp
         WHERE sp.t = pr.t AND sp.p <= pr.c + 1),
       CASE WHEN {{users_per_tenant}} >= 2 THEN md5('user-' || pr.t || '-2')::uuid END,
       CASE pr.c WHEN 1 THEN 'tablet-' || pr.t || '-a' ELSE 'phone-' || pr.t || '-b' END,
       pr.call_date + interval '2 minutes',
       CASE WHEN pr.status = 'presented' THEN pr.call_date + interval '6 minutes' END
FROM _seed_proposed pr
ORDER BY pr.t, pr.c;

INSERT INTO orders.proposed_orders_data (id, created_at, call_id, customer_id, tenant_id, data, data_type, customer_phone, sms_number)
SELECT md5('proposed-orders-data-' || pr.t || '-' || pr.c || '-' || d.data_type)::uuid,
       pr.call_date + interval '1 minute',
       pr.call_id, pr.customer_id, md5('tenant-' || pr.t)::uuid,
       CASE d.data_type
         WHEN 'specials' THEN (SELECT coalesce(jsonb_agg(jsonb_build_object('productId', s.product_id, 'name', s.name) ORDER BY s.product_id), '[]'::jsonb)
                                 FROM orders.product_specials s
                                WHERE s.tenant_id = md5('tenant-' || pr.t)::uuid AND s.is_active)
         ELSE (SELECT jsonb_build_object('favorites', cp.favorites) FROM orders.customer_preferences cp WHERE cp.customer_id = pr.customer_id)
       END,
       d.data_type, pr.phone,
       '+1-800-555-' || lpad((pr.t * 10 + 1)::text, 4, '0')
FROM _seed_proposed pr, (VALUES ('specials'), ('favorites')) AS d(data_type)
ORDER BY pr.t, pr.c, d.data_type;

-- ---------------------------------------------------------------------------
-- messages (identity id, filled in one fixed order; user_id is a user's id as text)
-- ---------------------------------------------------------------------------
INSERT INTO orders.messages (content, user_id, created_at, updated_at)
SELECT m.content, md5('user-' || st.t || '-' || least(m.u, {{users_per_tenant}}))::uuid::text,
       st.created_at + interval '1 hour' * (24 + m.m), st.created_at + interval '1 hour' * (24 + m.m)
FROM _seed_tenant st,
     (VALUES (1, 1, 'Welcome aboard! Specials for this month are live.'),
             (2, 2, 'Reminder: order cutoff is 16:00 for next-day delivery.'),
             (3, 3, 'Customer asked for a callback tomorrow morning.')) AS m(m, u, content)
ORDER BY st.t, m.m;

DROP TABLE _seed_tenant, _seed_product, _seed_customer, _seed_order, _seed_proposed;
