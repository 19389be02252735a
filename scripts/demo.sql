-- A small shop database for the README's demo: a few related tables, an enum, a view, identity and serial keys.
CREATE TYPE order_status AS ENUM ('new', 'paid', 'shipped', 'cancelled');
CREATE TABLE customers (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL,
  email text UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE products (
  id serial PRIMARY KEY,
  title text NOT NULL,
  price numeric(10, 2) NOT NULL CHECK (price >= 0),
  picture bytea
);
CREATE TABLE orders (
  id bigserial PRIMARY KEY,
  customer_id bigint NOT NULL REFERENCES customers (id),
  status order_status NOT NULL DEFAULT 'new',
  note text,
  placed_at timestamptz NOT NULL
);
CREATE TABLE order_lines (
  order_id bigint NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  product_id int NOT NULL REFERENCES products (id),
  quantity int NOT NULL,
  PRIMARY KEY (order_id, product_id)
);
CREATE INDEX orders_customer_idx ON orders (customer_id);
CREATE VIEW order_totals AS
  SELECT o.id, o.customer_id, sum(l.quantity * p.price) AS total
  FROM orders o JOIN order_lines l ON l.order_id = o.id JOIN products p ON p.id = l.product_id
  GROUP BY o.id, o.customer_id;
COMMENT ON TABLE orders IS 'One row per checkout';

INSERT INTO customers (name, email, created_at)
SELECT 'Customer ' || g, CASE WHEN g % 10 = 0 THEN NULL ELSE 'c' || g || '@example.test' END,
       timestamptz '2026-01-01' + g * interval '1 minute'
FROM generate_series(1, 20000) g;
INSERT INTO products (title, price, picture)
SELECT 'Product "' || g || E'"\ttab', (g % 500) + 0.99, CASE WHEN g % 3 = 0 THEN decode(md5(g::text), 'hex') END
FROM generate_series(1, 500) g;
INSERT INTO orders (customer_id, status, note, placed_at)
SELECT 1 + (g * 7919) % 20000, (ARRAY['new','paid','shipped','cancelled']::order_status[])[1 + g % 4],
       CASE WHEN g % 5 = 0 THEN '' WHEN g % 7 = 0 THEN NULL ELSE E'line one\nline two ' || g END,
       timestamptz '2026-02-01' + g * interval '10 seconds'
FROM generate_series(1, 100000) g;
INSERT INTO order_lines (order_id, product_id, quantity)
SELECT o, 1 + (o * 31 + k) % 500, 1 + k FROM generate_series(1, 100000) o, generate_series(0, 2) k;
