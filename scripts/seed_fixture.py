#!/usr/bin/env python3
"""Derive one conformance fixture per app from the seeds (the apps' specs).

Usage:
    python3 scripts/seed_fixture.py [SEEDS_DIR] [--check]

SEEDS_DIR defaults to ../shared/seeds relative to the repository. Writes
tests/fixtures/seeds/<app>.tsv for every app (studio, orders, platform, reports,
course) and supabase.tsv for the Supabase schemas that reports and course sit
on. With --check nothing is written; the exit status is 1 when a fixture would
change. Python 3 standard library only; the output depends only on the seeds.

Fixture format (tab-separated; `-` means "the seed does not say"):

    # comment                      the header says how the file was generated
    # uses: supabase               also load supabase.tsv for this app
    schema table column type nullable      one line per column (nullable: yes/no)
    @pk       schema table cols                 primary key (cols comma-separated, in order)
    @unique   schema table cols name predicate  a unique index/constraint on exactly cols
    @index    schema table name method unique cols predicate   an index the seed names
    @indexed  schema table column               the column is part of some index
    @fk       schema table cols ref_table ref_cols on_delete on_update
              (ref_table schema-qualified; `-` = any table of the fixtures, by its primary key)
    @default  schema table column expr          a column default (`*`: some default, value unstated)
    @length   schema table column n             varchar(n)
    @numeric  schema table column precision scale   (scale `-`: not shown by the seed)
    @check    schema table column expr          a CHECK on the column
    @enum     schema type values                an enum type (values comma-separated, `-` unstated)
    @partition schema table key                 partitioned table (`RANGE (col)`)

Types are PostgreSQL families: uuid, text (varchar/char/text), integer,
smallint, bigint, numeric, double precision, real, boolean, timestamptz,
timestamp, date, jsonb, json, bytea, inet, cidr, ..., arrays as `<type>[]` and
enum types as `enum:<typename>`.

What the test holds a migration to besides the lines: no table, column,
foreign key, CHECK or enum type the fixture does not list; and, when the
fixture has any @default (@length) line, no default (length) it does not list,
except a generated primary key's gen_random_uuid() / nextval().

Where a migration deliberately deviates from its seed, the deviation lives in a
per-app table below, with its reason; never in the test.
"""

import os
import re
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(REPO, "tests", "fixtures", "seeds")

# App -> seed file prefix.
SEEDS = {
    "reports": "000_",
    "studio": "001_",
    "course": "002_",
    "platform": "003_",
    "orders": "004_",
}

# Supabase schemas shared by reports (000) and course (002).
SUPABASE_SCHEMAS = ["auth", "storage", "realtime", "vault", "supabase_migrations"]


class Fixture:
    """Columns and key lines of one app, in seed order."""

    def __init__(self, name, sources):
        self.name = name
        self.sources = sources
        self.uses = []
        self.tables = {}  # (schema, table) -> [(column, type, nullable)]
        self.lines = {}  # (schema, table) -> [tuple of fields]
        self.enums = {}  # (schema, type) -> [values] or None
        self.notes = []
        self.schema_of_public = name

    def table(self, schema, table):
        key = (schema, table)
        if key in self.tables:
            raise SystemExit(f"{self.name}: table {schema}.{table} twice")
        self.tables[key] = []
        self.lines[key] = []
        return key

    def column(self, key, column, ty, nullable):
        cols = self.tables[key]
        if any(c[0] == column for c in cols):
            raise SystemExit(f"{self.name}: {key[0]}.{key[1]}.{column} twice")
        cols.append((column, ty, "yes" if nullable else "no"))

    def line(self, key, kind, *fields):
        row = (kind, key[0], key[1]) + tuple("-" if f is None or f == "" else str(f) for f in fields)
        if row not in self.lines[key]:
            self.lines[key].append(row)

    def enum(self, schema, name, values):
        old = self.enums.get((schema, name))
        if old and values and old != values:
            raise SystemExit(f"{self.name}: enum {schema}.{name}: {old} vs {values}")
        self.enums[(schema, name)] = values or old

    def render(self):
        out = [
            f"# {self.name}: conformance fixture, generated from {', '.join(self.sources)}",
            "# by `python3 scripts/seed_fixture.py` (see the format there). Do not edit by hand.",
        ]
        out += [f"# note: {n}" for n in self.notes]
        out += [f"# uses: {u}" for u in self.uses]
        for key, cols in self.tables.items():
            for c in cols:
                out.append("\t".join((key[0], key[1]) + c))
            rows = self.lines[key]
            named = {(r[3], r[5]) for r in rows if r[0] == "unique" and r[4] != "-"}
            for row in rows:
                # An attribute's `Is Unique` said again by a named unique key.
                if row[0] == "unique" and row[4] == "-" and (row[3], row[5]) in named:
                    continue
                out.append("\t".join(("@" + row[0],) + row[1:]))
        for (schema, name), values in self.enums.items():
            out.append("\t".join(("@enum", schema, name, ",".join(values) if values else "-")))
        return "\n".join(out) + "\n"


def fail(msg):
    raise SystemExit(f"seed_fixture: {msg}")


def snake_case(name):
    """`passwordHash` -> `password_hash`, `APIClient` -> `api_client`."""
    out = []
    for i, c in enumerate(name):
        if c.isupper() and i > 0:
            prev = name[i - 1]
            next_lower = i + 1 < len(name) and name[i + 1].islower()
            if prev.islower() or prev.isdigit() or (prev.isupper() and next_lower):
                out.append("_")
        out.append(c.lower())
    return "".join(out)


def snake_expr(expr):
    """Identifiers outside quotes snake_cased; SQL keywords are upper case and stay."""
    parts = re.split(r"('(?:[^']|'')*')", expr)
    for i in range(0, len(parts), 2):
        parts[i] = re.sub(
            r"[A-Za-z_][A-Za-z0-9_]*",
            lambda m: m.group(0) if m.group(0).isupper() else snake_case(m.group(0)),
            parts[i],
        )
    return "".join(parts)


# PostgreSQL type text (pg_dump / information_schema spelling) -> family.
PG_FAMILIES = {
    "uuid": "uuid",
    "text": "text",
    "varchar": "text",
    "character varying": "text",
    "character": "text",
    "char": "text",
    "bpchar": "text",
    "integer": "integer",
    "int": "integer",
    "int4": "integer",
    "serial": "integer",
    "smallint": "smallint",
    "int2": "smallint",
    "bigint": "bigint",
    "int8": "bigint",
    "bigserial": "bigint",
    "numeric": "numeric",
    "decimal": "numeric",
    "double precision": "double precision",
    "float8": "double precision",
    "real": "real",
    "float4": "real",
    "boolean": "boolean",
    "bool": "boolean",
    "timestamp with time zone": "timestamptz",
    "timestamptz": "timestamptz",
    "timestamp without time zone": "timestamp",
    "timestamp": "timestamp",
    "date": "date",
    "jsonb": "jsonb",
    "json": "json",
    "bytea": "bytea",
    "inet": "inet",
    "cidr": "cidr",
    "regclass": "regclass",
    "regrole": "regrole",
    "oid": "oid",
    "interval": "interval",
    "time without time zone": "time",
    "time": "time",
}


def pg_type(text, enums, where):
    """`character varying(64)` -> ("text", length 64, numeric None).

    `enums`: names of user types known to be enums; other schema-qualified
    types keep their bare name (composite types).
    """
    t = text.strip()
    t = re.sub(r'\s+COLLATE\s+\S+', "", t)
    array = t.endswith("[]")
    if array:
        t = t[:-2].strip()
    length = numeric = None
    m = re.fullmatch(r"(.*?)\s*\(([\d\s,]+)\)(.*)", t)
    if m:
        args = [a.strip() for a in m.group(2).split(",")]
        t = (m.group(1) + m.group(3)).strip()
        fam = PG_FAMILIES.get(t.lower())
        if fam == "text":
            length = int(args[0])
        elif fam == "numeric":
            numeric = (args[0], args[1] if len(args) > 1 else "0")
        # timestamp(0) and the like: precision is not part of the family.
    fam = PG_FAMILIES.get(t.lower())
    if fam is None:
        bare = t.split(".")[-1].strip('"')
        if bare in enums:
            fam = "enum:" + bare
        elif re.fullmatch(r"[a-z_][a-z0-9_]*", bare):
            fam = bare
        else:
            fail(f"{where}: unknown type {text!r}")
    return (fam + ("[]" if array else "")), length, numeric


# ===========================================================================
# 001 studio: a numbered specification (entities, attributes, keys, indexes)
# ===========================================================================

# Seed entity -> table in schema `studio` (migration 2026-11-22-000001_studio:
# "Tables and columns: snake_case of the seed's entity/attribute names"; the
# plurals are the migration's).
STUDIO_TABLES = {
    "User": "users",
    "BrandKit": "brand_kits",
    "Workbench": "workbenches",
    "Project": "projects",
    "Asset": "assets",
    "AssetVersion": "asset_versions",
    "GenerationRequest": "generation_requests",
    "SocialMediaConnection": "social_media_connections",
    "APIClient": "api_clients",
    "Subscription": "subscriptions",
    "CreditTransaction": "credit_transactions",
    "UsageLog": "usage_logs",
    "Team": "teams",
    "TeamMember": "team_members",
    "Session": "sessions",
    "Notification": "notifications",
    "Template": "templates",
    "AIModel": "ai_models",
    "AIModelVersion": "ai_model_versions",
    "AIModelValidationResult": "ai_model_validation_results",
    "AIModelDeployment": "ai_model_deployments",
    "AIModelFeedback": "ai_model_feedback",
}

# Deviation: `Is Required: True` foreign keys that are nullable. The seed gives
# each `On Delete: SET NULL`, which cannot work on a NOT NULL column; the
# migration keeps SET NULL and drops NOT NULL (see its comments at each table).
STUDIO_NULLABLE_DESPITE_REQUIRED = {
    ("GenerationRequest", "projectId"),
    ("UsageLog", "userId"),
    ("AIModelFeedback", "userId"),
}

# Deviation: seed indexes that duplicate a seed unique constraint (or another
# seed index) are not created; their twin (a @unique line) serves them.
STUDIO_TWINS = {
    # Identical to the UNIQUE constraint uq_user_email.
    "idx_user_email_unique",
    # Same column as UNIQUE uq_user_username; its `username IS NOT NULL` is
    # implied by a plain UNIQUE (NULLs never collide).
    "idx_user_username_unique",
    # Identical to the partial unique index uq_user_social.
    "idx_user_social_unique",
    # Same columns as UNIQUE uq_socialconnection_user_platform, whose unique
    # backing index serves every lookup the plain index would.
    "idx_socialconnection_userid_platform",
    # Identical to the UNIQUE constraint uq_apiclient_apikey.
    "idx_apiclient_apikey_unique",
}

# Deviation: PostgreSQL requires the partition key in every unique constraint
# of a partitioned table, so its primary key is the seed's plus the partition
# key (credit_transactions and notifications: (id, created_at)). Applied to
# every partitioned entity by the parser.

STUDIO_TYPES = {
    "UUID": "uuid",
    "VARCHAR": "text",
    "TEXT": "text",
    "DateTime": "timestamptz",
    "BOOLEAN": "boolean",
    "INTEGER": "integer",
    "DECIMAL": "numeric",
    "JSONB": "jsonb",
    "BIGSERIAL": "bigint",
}

STUDIO_ATTRIBUTE_FIELDS = {
    "Type", "Is Required", "Is Primary Key", "Is Unique", "Indexed", "Size",
    "Precision", "Scale", "Default Value", "Constraints", "Is Foreign Key",
    "On Delete", "On Update", "Notes", "Security", "Searchable",
}
STUDIO_INDEX_FIELDS = {"Columns", "Type", "Is Unique", "Condition", "Notes"}

HEADING = re.compile(r"^(#+) (?:((?:\d+\.)+) )?(.*)$")


def bullet(line):
    line = line.strip()
    return line[2:].strip() if line.startswith("- ") else line


def studio_outline(text):
    """Entities -> sections -> items -> fields (lists of value lines)."""
    entities = []
    into = None
    for line in text.splitlines():
        m = HEADING.match(line)
        if m:
            level, number, title = len(m.group(1)), m.group(2), m.group(3).strip()
            depth = len(number.rstrip(".").split(".")) if number else 0
            if level == 1 and number and number != "1." :
                break
            if level == 2 and depth == 2:
                entities.append({"name": title, "sections": []})
                into = None
            elif level == 3 and depth == 3:
                entities[-1]["sections"].append({"title": title, "body": [], "items": []})
                into = "section"
            elif level == 3 and depth == 4:
                entities[-1]["sections"][-1]["items"].append({"name": title, "fields": {}})
                into = None
            elif level == 4 and depth == 5:
                item = entities[-1]["sections"][-1]["items"][-1]
                item["fields"][title] = []
                into = ("field", item["fields"][title])
            elif entities:
                fail(f"001: unexpected heading {line!r}")
            continue
        text_ = line.strip()
        if not text_ or not entities or not entities[-1]["sections"]:
            continue
        if into == "section":
            entities[-1]["sections"][-1]["body"].append(text_)
        elif into:
            into[1].append(text_)
    return entities


def flag(fields, name, where):
    v = fields.get(name)
    if v is None or v == ["False"]:
        return False
    if v == ["True"]:
        return True
    fail(f"001: {where}: {name} is {v!r}")


def studio(text, fx):
    schema = "studio"
    entities = studio_outline(text)
    if sorted(e["name"] for e in entities) != sorted(STUDIO_TABLES):
        fail(f"001: entities {[e['name'] for e in entities]} vs the table mapping")
    counts = {"attributes": 0, "fks": 0, "defaults": 0, "checks": 0, "indexes": 0, "partitioned": 0}
    used_twins = set()
    for e in entities:
        name = e["name"]
        key = fx.table(schema, STUDIO_TABLES[name])
        sections = {s["title"]: s for s in e["sections"]}
        unknown = set(sections) - {"Attributes", "Primary Keys", "Unique Constraints", "Indexes", "Partitioning"}
        if unknown:
            fail(f"001: {name}: unknown sections {unknown}")
        pk = [snake_case(bullet(l)) for l in sections["Primary Keys"]["body"]]
        if not pk:
            fail(f"001: {name}: no primary key")
        part = sections.get("Partitioning")
        if part:
            counts["partitioned"] += 1
            strategy, cols, in_cols = None, [], False
            for l in part["body"]:
                b = bullet(l)
                if b.startswith("**Type:**"):
                    strategy, in_cols = b[len("**Type:**"):].strip().upper(), False
                elif b.startswith("**Columns:**"):
                    in_cols = True
                elif b.startswith("**"):
                    in_cols = False
                elif in_cols:
                    cols.append(snake_case(b))
            if not strategy or not cols:
                fail(f"001: {name}: partitioning without a type or columns")
            fx.line(key, "partition", f"{strategy} ({', '.join(cols)})")
            # Deviation (see above): the primary key gains the partition key.
            widened = pk + [c for c in cols if c not in pk]
        else:
            widened = pk
        fx.line(key, "pk", ",".join(widened))
        for item in sections["Attributes"]["items"]:
            a, f = item["name"], item["fields"]
            where = f"{name}.{a}"
            if set(f) - STUDIO_ATTRIBUTE_FIELDS:
                fail(f"001: {where}: unknown fields {set(f) - STUDIO_ATTRIBUTE_FIELDS}")
            counts["attributes"] += 1
            col = snake_case(a)
            ty = f["Type"][0]
            if ty not in STUDIO_TYPES:
                fail(f"001: {where}: unknown type {ty}")
            required = flag(f, "Is Required", where)
            if (name, a) in STUDIO_NULLABLE_DESPITE_REQUIRED:
                on_delete = (f.get("On Delete") or ["NO ACTION"])[0]
                if not required or on_delete != "SET NULL":
                    fail(f"001: {where}: listed as Required + SET NULL, but the seed no longer says so")
                required = False
            if flag(f, "Is Primary Key", where) != (col in pk):
                fail(f"001: {where}: Is Primary Key vs Primary Keys")
            fx.column(key, col, STUDIO_TYPES[ty], not required)
            if "Size" in f:
                fx.line(key, "length", col, int(f["Size"][0]))
            if ty == "DECIMAL":
                fx.line(key, "numeric", col, f["Precision"][0], f["Scale"][0])
            if "Default Value" in f:
                counts["defaults"] += 1
                fx.line(key, "default", col, f["Default Value"][0])
            elif ty == "BIGSERIAL":
                fx.line(key, "default", col, "*")
            for c in f.get("Constraints", []):
                c = bullet(c)
                if not c.startswith("CHECK"):
                    fail(f"001: {where}: constraint {c!r} is not a CHECK")
                counts["checks"] += 1
                inner = c[len("CHECK"):].strip()
                if inner.startswith("(") and inner.endswith(")"):
                    inner = inner[1:-1].strip()
                fx.line(key, "check", col, snake_expr(inner))
            if flag(f, "Is Foreign Key", where):
                counts["fks"] += 1
                # The seed does not name the target: any seed table, by its key.
                fx.line(key, "fk", col, None, None,
                        (f.get("On Delete") or ["NO ACTION"])[0],
                        (f.get("On Update") or ["NO ACTION"])[0])
            if flag(f, "Is Unique", where):
                fx.line(key, "unique", col, None, None)
            if flag(f, "Indexed", where):
                fx.line(key, "indexed", col)
        for section, constraint in (("Unique Constraints", True), ("Indexes", False)):
            for item in sections.get(section, {"items": []})["items"]:
                f = item["fields"]
                where = f"{name}.{item['name']}"
                if set(f) - STUDIO_INDEX_FIELDS:
                    fail(f"001: {where}: unknown fields {set(f) - STUDIO_INDEX_FIELDS}")
                counts["indexes"] += 1
                iname = item["name"].lower()
                cols = ",".join(snake_case(bullet(c)) for c in f["Columns"])
                if not cols:
                    fail(f"001: {where}: no columns")
                cond = snake_expr(f["Condition"][0]) if "Condition" in f else None
                if iname in STUDIO_TWINS:
                    used_twins.add(iname)
                    continue
                if constraint:
                    fx.line(key, "unique", cols, iname, cond)
                else:
                    method = (f.get("Type") or ["BTree"])[0].lower()
                    unique = "yes" if flag(f, "Is Unique", where) else "no"
                    fx.line(key, "index", iname, method, unique, cols, cond)
    if used_twins != STUDIO_TWINS:
        fail(f"001: twins not in the seed: {STUDIO_TWINS - used_twins}")
    # Nothing dropped on the way: as many of each as the raw text has lines for.
    raw = lambda suffix: sum(1 for l in text.splitlines() if l.startswith("#") and l.endswith(suffix))
    expect = {
        "attributes": raw(". Is Required"),
        "fks": raw(". Is Foreign Key"),
        "defaults": raw(". Default Value"),
        "checks": sum(1 for l in text.splitlines() if l.startswith("- CHECK")),
        "indexes": raw(". Columns"),
        "partitioned": raw(". Partitioning"),
    }
    if counts != expect:
        fail(f"001: parsed {counts}, the text has {expect}")


# ===========================================================================
# 004 orders: markdown tables of `| column | type text | Nullable | ... |`
# ===========================================================================

# The seed declares no foreign keys; the migration creates the ones its `*_id`
# column names imply (2026-11-22-000003_orders: "they are the ones the column
# names imply"), uuid columns only (messages.user_id is text).
ORDERS_IMPLIED_TARGETS = {
    "tenant_id": "tenants",
    "customer_id": "customers",
    "agent_id": "agents",
    "order_id": "orders",
    "product_id": "products",
    "category_id": "product_categories",
    "product_type_id": "product_types",
    "industry_id": "industries",
    "role_id": "roles",
    "user_id": "users",
    "call_id": "call_logs",
    "reorder_id": "orders",
}


def md_cells(line):
    return [c.strip() for c in line.strip().strip("|").split("|")]


def split_spec(spec):
    """`uuid DEFAULT gen_random_uuid() NOT NULL` -> (type, default or '*' or None, not_null)."""
    not_null = bool(re.search(r"\bNOT NULL\b", spec))
    s = re.sub(r"\s*\bNOT NULL\b", "", spec).strip()
    m = re.search(r"\s*\bDEFAULT\b\s*(.*)$", s)
    default = None
    if m:
        default = m.group(1).strip() or "*"
        s = s[: m.start()].strip()
    return s, default, not_null


def orders(text, fx):
    schema = "orders"
    part, key, enum = None, None, None
    for line in text.splitlines():
        if line.startswith("## "):
            part = {"Database Tables": "tables", "Database Enums": "enums"}.get(line[3:].strip())
            key = enum = None
        elif line.startswith("### "):
            name = line[4:].strip()
            if part == "tables":
                key = fx.table(schema, name)
            elif part == "enums":
                enum = name
                fx.enums[(schema, name)] = []
        elif line.lstrip().startswith("|") and (key or enum):
            row = md_cells(line)
            if row[0] in ("Column", "Value") or set(row[0]) <= {"-"}:
                continue
            if enum:
                fx.enums[(schema, enum)].append(row[0])
                continue
            col, spec, nullable_cell = row[0], row[1], row[2]
            ty, default, not_null = split_spec(spec)
            # The Nullable cell says ✅ even for NOT NULL columns; ❌ only on two
            # columns the diagram also gives as NOT NULL: ❌ means NOT NULL.
            if nullable_cell not in ("✅", "❌"):
                fail(f"004: {key[1]}.{col}: Nullable {nullable_cell!r}")
            not_null = not_null or nullable_cell == "❌"
            fam, length, numeric = pg_type(ty, set(), f"004: {key[1]}.{col}")
            fx.column(key, col, fam, not not_null)
            if default:
                fx.line(key, "default", col, default)
            target = ORDERS_IMPLIED_TARGETS.get(col)
            if target and fam == "uuid":
                fx.line(key, "fk", col, f"{schema}.{target}", "id", None, None)
    for key in fx.tables:
        # Every table's key is `id` (the migration: the seed's "Primary Key"
        # column says ❌ for every column, which cannot be meant).
        if fx.tables[key][0][0] != "id":
            fail(f"004: {key[1]}: first column is not id")
        fx.line(key, "pk", "id")
    if len(fx.tables) != 23 or len(fx.enums) != 8:
        fail(f"004: parsed {len(fx.tables)} tables, {len(fx.enums)} enums (23, 8 expected)")


# ===========================================================================
# 000 reports: `## table`, `**Schema**: ...`, `| column | pg_dump type | (notes) |`
# ===========================================================================

def reports_like(text, app_schema, where, known_enums):
    """Tables of seed 000: {(schema, table): [(col, spec, notes)]}, partitions."""
    tables, partitions = {}, {}
    name = key = None
    for line in text.splitlines():
        if line.startswith("## "):
            name, key = line[3:].strip(), None
        elif line.startswith("**Schema**") and name:
            schema = re.search(r"`([^`]+)`", line).group(1)
            schema = app_schema if schema == "public" else schema
            key = (schema, name)
            if key in tables:
                fail(f"{where}: {schema}.{name} twice")
            tables[key] = []
        elif key and line.startswith("| `"):
            cells = md_cells(line)
            col, spec, notes = cells[0].strip("`"), cells[1].strip("`"), cells[2]
            if col == "PARTITION":
                partitions[key] = spec.replace("BY ", "", 1).strip() + ")" * (spec.count("(") - spec.count(")"))
                continue
            tables[key].append((col, spec, notes))
    return tables, partitions


def reports_columns(tables, partitions, fx_for, known_enums, where):
    """Adds seed-000 style tables to the fixture chosen by `fx_for(schema)`."""
    for (schema, table), cols in tables.items():
        fx = fx_for(schema)
        key = fx.table(schema, table)
        pk = []
        for col, spec, notes in cols:
            at = f"{where}: {schema}.{table}.{col}"
            generated = re.search(r"\bGENERATED ALWAYS AS\b", spec)
            identity = re.search(r"\bGENERATED (ALWAYS|BY DEFAULT) AS IDENTITY\b", spec)
            spec_ = re.sub(r"\s*\bGENERATED\b.*$", "", spec)
            ty, default, _ = split_spec(spec_)
            not_null = bool(re.search(r"\bNOT NULL\b", spec))
            fam, length, numeric = pg_type(ty, known_enums, at)
            fx.column(key, col, fam, not not_null and not identity)
            if length:
                fx.line(key, "length", col, length)
            if numeric:
                fx.line(key, "numeric", col, *numeric)
            if default and not generated:
                fx.line(key, "default", col, default)
            if "Primary Key" in notes:
                pk.append(col)
            m = re.search(r"FK to `([^`]+)`", notes)
            if m:
                ref = m.group(1)
                rs, rt = ref.split(".")
                rs = fx.schema_of_public if rs == "public" else rs
                fx.line(key, "fk", col, f"{rs}.{rt}", None, None, None)
        if pk:
            fx.line(key, "pk", ",".join(pk))
        if (schema, table) in partitions:
            fx.line(key, "partition", partitions[(schema, table)])


def reports_deviations(fx):
    """Deliberate deviations of the reports migration (2026-12-01-000012_reports)."""
    # The seed says auth.users is "linked to public.seydam_customuser" but names
    # no column (and the ids differ, uuid vs bigint): the link is an explicit,
    # unique, nullable reference to auth.users that unlinks on delete.
    key = ("reports", "seydam_customuser")
    fx.column(key, "auth_user_id", "uuid", True)
    fx.line(key, "unique", "auth_user_id", None, None)
    fx.line(key, "fk", "auth_user_id", "auth.users", "id", "SET NULL", None)
    fx.notes.append("reports.seydam_customuser.auth_user_id: the explicit link to auth.users (not in the seed)")
    # Keys the seed omits: DRF's token key and Django's session key.
    fx.line(("reports", "authtoken_token"), "pk", "key")
    fx.line(("reports", "django_session"), "pk", "session_key")


# ===========================================================================
# 002 course: `#### **table**` under `### N. SCHEMA Schema`, `| col | type | constraints | ... |`
# ===========================================================================

COURSE_TYPES = {"varchar": "text", "timestamptz": "timestamptz", "timestamp": "timestamp"}


def course_tables(text, app_schema):
    tables, fks, enums, composite_pks = {}, [], {}, {}
    schema = key = None
    section = None
    for line in text.splitlines():
        m = re.match(r"^### \d+\. (\w+) Schema", line)
        if m:
            schema = m.group(1).lower()
            schema = app_schema if schema == "public" else schema
            key = None
            continue
        m = re.match(r"^#### \*\*(\w+)\*\*", line)
        if m and schema:
            key = (schema, m.group(1))
            if key in tables:
                fail(f"002: {key} twice")
            tables[key] = []
            continue
        if line.startswith("## ") or line.startswith("### ") or re.match(r"^#### [^*]", line):
            key = None
            section = line.strip("# ").strip()
            if line.startswith("## "):
                schema = None
        m = re.match(r"^\*\*Composite Primary Key\*\*: \(([^)]*)\)", line)
        if m and key:
            composite_pks[key] = [c.strip() for c in m.group(1).split(",")]
        if key and line.startswith("| ") and not line.startswith("| Column") and not line.startswith("|--"):
            cells = md_cells(line)
            tables[key].append((cells[0], cells[1], cells[2]))
        if section == "Foreign Key Constraints Summary" and line.startswith("| ") and not line.startswith("| Source"):
            cells = md_cells(line)
            if not set(cells[0]) <= {"-"}:
                fks.append(cells[:4])
        m = re.match(r"^- \*\*(\w+)\*\*: (`.*`)$", line)
        if m and section == "Custom Enums":
            enums[m.group(1)] = re.findall(r"`([^`]+)`", m.group(2))
    return tables, fks, enums, composite_pks


def split_top(text):
    """Splits on commas outside parentheses."""
    parts, depth, cur = [], 0, ""
    for c in text:
        if c == "," and depth == 0:
            parts.append(cur.strip())
            cur = ""
            continue
        depth += {"(": 1, ")": -1}.get(c, 0)
        cur += c
    return parts + [cur.strip()]


def course_check(col, text):
    """The seed's shorthand CHECKs: `('user' OR 'assistant')`, `(0-2)`."""
    m = re.fullmatch(r"\((.*)\)", text.strip())
    inner = m.group(1) if m else text
    lits = re.findall(r"'[^']*'", inner)
    if lits:
        return f"{col} IN ({', '.join(lits)})"
    if inner.strip() == "length > 0":
        return f"char_length({col}) > 0"
    m = re.fullmatch(r"\s*(-?\d+)\s*-\s*(-?\d+)\s*", inner)
    if m:
        return f"{col} >= {m.group(1)} AND {col} <= {m.group(2)}"
    fail(f"002: {col}: CHECK {text!r} not understood")


def course_columns(tables, fks, enums, composite_pks, fx_for):
    # The summary names the source table without its schema: find it.
    by_name = {}
    for (s, t) in tables:
        by_name.setdefault(t, []).append(s)
    fk_of = {}
    for src, col, target, tcol in fks:
        schemas = [s for s in by_name.get(src, []) if any(c[0] == col for c in tables[(s, src)])]
        if len(schemas) != 1:
            fail(f"002: foreign key source {src} is {schemas}")
        if "." in target:
            ts, tt = target.split(".")
        else:
            ts, tt = schemas[0], target
        fk_of[(schemas[0], src, col)] = (f"{ts}.{tt}", tcol)
    used = set()
    for (schema, table), cols in tables.items():
        fx = fx_for(schema)
        key = fx.table(schema, table)
        pk = []
        for col, ty, cons in cols:
            at = f"002: {schema}.{table}.{col}"
            parts = split_top(cons)
            fam, length, numeric = pg_type(COURSE_TYPES.get(ty, ty), set(enums), at)
            nullable = "NOT NULL" not in parts and "IDENTITY" not in parts
            fx.column(key, col, fam, nullable)
            for p in parts:
                if p == "PRIMARY KEY":
                    pk.append(col)
                elif p == "UNIQUE":
                    fx.line(key, "unique", col, None, None)
                elif p.startswith("DEFAULT "):
                    fx.line(key, "default", col, p[len("DEFAULT "):])
                elif p.startswith("CHECK"):
                    fx.line(key, "check", col, course_check(col, p[len("CHECK"):]))
                elif p.startswith("FK"):
                    m = re.fullmatch(r"FK → (?:(\w+)\.)?(\w+)\.(\w+)", p)
                    if not m:
                        fail(f"{at}: {p!r}")
                    ts = m.group(1) or schema
                    ts = fx.schema_of_public if ts == "public" else ts
                    fx.line(key, "fk", col, f"{ts}.{m.group(2)}", m.group(3), None, None)
                    used.add((schema, table, col))
                elif p == "AUTO_INCREMENT":
                    fx.line(key, "default", col, "*")
                elif p.startswith("ENUM("):
                    values = [v.strip() for v in p[5:-1].split(",")]
                    if fam.startswith("enum:") and values != ["..."]:
                        fx.enum(schema, fam[5:], values)
                elif p not in ("NOT NULL", "NULLABLE", "GENERATED", "IDENTITY"):
                    fail(f"{at}: constraint {p!r} not understood")
            if (schema, table, col) in fk_of and (schema, table, col) not in used:
                ref, rcol = fk_of[(schema, table, col)]
                fx.line(key, "fk", col, ref, rcol, None, None)
                used.add((schema, table, col))
        pk = composite_pks.get((schema, table), pk)
        if pk:
            fx.line(key, "pk", ",".join(pk))
    missing = set(fk_of) - used
    if missing:
        fail(f"002: summary foreign keys on unknown columns: {sorted(missing)}")


# ===========================================================================
# 003 platform: a Prisma model as a mermaid erDiagram
# ===========================================================================

PRISMA_TYPES = {
    "String": "text",
    "Int": "integer",
    "BigInt": "bigint",
    "Float": "double precision",
    "Decimal": "numeric",
    "Boolean": "boolean",
    # Prisma's default for DateTime on PostgreSQL is timestamp(3) without time zone.
    "DateTime": "timestamp",
    "Json": "jsonb",
    "Bytes": "bytea",
}


# Thirteen `String` columns with list-like names are Prisma `String[]` that
# prisma-markdown prints without `[]` (issue 12 lists them); the migration
# makes them text[] (see scripts/platform_migration.py).
PLATFORM_LISTS = {
    ("campaign_target_audiences", "genders"), ("campaign_target_audiences", "locations"),
    ("campaign_target_audiences", "interests"), ("campaign_target_audiences", "behaviors"),
    ("monetization_models", "features"), ("app_images", "tags"),
    ("audit_retention_policies", "actionTypes"), ("calendar_content_suggestions", "keywords"),
    ("crisis_detection_events", "affectedAccountIds"), ("crisis_response_templates", "variables"),
    ("crisis_alert_rules", "notifyChannels"), ("content_suggestions", "suggestedPlatforms"),
    ("feature_flags", "enabledFor"),
}


def platform(text, fx):
    schema = "platform"
    key = None
    rels = []
    fk_cols = {}
    for line in text.splitlines():
        m = re.match(r'^"(\w+)" \{$', line)
        if m:
            key = fx.table(schema, m.group(1))
            fk_cols[key] = []
            continue
        if line.strip() == "}":
            key = None
            continue
        m = re.match(r'^"(\w+)" [|}][|o]--[|o][|{] "(\w+)" : (\w+)$', line)
        if m:
            rels.append(m.groups())
            continue
        if key:
            m = re.fullmatch(r'\s+(\w+)(?:\((\d+)(?:,(\d+))?\))?(\[\])? (\w+)(?: ([A-Z,]+))?( "nullable")?', line)
            if not m:
                fail(f"003: {key[1]}: line {line!r}")
            ty, prec, scale, array, col, marks, nullable = m.groups()
            marks = (marks or "").split(",")
            if ty in PRISMA_TYPES:
                fam = PRISMA_TYPES[ty]
            else:
                fam = "enum:" + ty
                fx.enum(schema, ty, None)
            if (key[1], col) in PLATFORM_LISTS and ty == "String" and not array:
                array = "[]"
            fx.column(key, col, fam + ("[]" if array else ""), bool(nullable))
            if prec:
                fx.line(key, "numeric", col, prec, scale)  # `Decimal(10)`: the scale is not shown
            if "PK" in marks:
                fx.line(key, "pk", col)
            if "UK" in marks:
                fx.line(key, "unique", col, None, None)
            if "FK" in marks:
                fk_cols[key].append(col)
    # A relation `"a" }o--|| "b" : field` is the foreign key on a's column
    # `<field>Id` (or `<field>`). On an implicit many-to-many table `_XToY`,
    # Prisma's column A references the model whose name sorts first, B the
    # other. A relation left over on a table with exactly one FK column left
    # over is that column (`apps.parentApp` is `forkedFrom`).
    by_table = {}
    for src, target, field in rels:
        by_table.setdefault((schema, src), []).append((target, field))
    for key, rs in by_table.items():
        free = list(fk_cols.get(key, []))
        left = []
        if key[1].startswith("_") and sorted(free) == ["A", "B"] and len(rs) == 2:
            for col, (target, _) in zip(["A", "B"], sorted(rs, key=lambda r: r[1])):
                fx.line(key, "fk", col, f"{schema}.{target}", None, None, None)
            continue
        for target, field in rs:
            cols = [c for c in free if c in (field + "Id", field)]
            if len(cols) == 1:
                fx.line(key, "fk", cols[0], f"{schema}.{target}", None, None, None)
                free.remove(cols[0])
            else:
                left.append((target, field))
        if len(left) == 1 and len(free) == 1:
            fx.line(key, "fk", free[0], f"{schema}.{left[0][0]}", None, None, None)
        elif left:
            fail(f"003: {key[1]}: relations {left} match no FK column of {free}")
    fks = sum(1 for rows in fx.lines.values() for r in rows if r[0] == "fk")
    if fks != len(rels):
        fail(f"003: {fks} foreign keys for {len(rels)} relations")
    pks = sum(1 for rows in fx.lines.values() for r in rows if r[0] == "pk")
    if len(fx.tables) != 141:
        fail(f"003: {len(fx.tables)} tables, 141 expected")
    fx.notes.append(f"{pks} of {len(fx.tables)} tables show a primary key in the seed")


# ===========================================================================
# Main
# ===========================================================================

def seed_file(seeds, prefix):
    names = [n for n in sorted(os.listdir(seeds)) if n.startswith(prefix) and n.endswith(".txt")]
    if len(names) != 1:
        fail(f"{seeds}: expected one {prefix}*.txt, found {names}")
    with open(os.path.join(seeds, names[0]), encoding="utf-8") as f:
        return names[0], f.read()


def loose(expr):
    """An expression without casts, spaces and case, to tell real differences."""
    e = re.sub(r"::(character varying|timestamp with(out)? time zone|[\w.]+)(\[\])?", "", expr)
    return re.sub(r"\s+", "", e).lower()


def merge_supabase(a, b, sources):
    """The union of two seeds' Supabase tables: every table and column of
    either. Where both describe a column, seed 000 (a pg_dump, exact DDL) wins
    for type and nullability; key lines of both are kept."""
    out = Fixture("supabase", sources)
    for src in (a, b):
        for key, cols in src.tables.items():
            if key not in out.tables:
                out.table(*key)
            have = {c[0]: c for c in out.tables[key]}
            for c in cols:
                if c[0] in have:
                    if have[c[0]][1:] != c[1:]:
                        out.notes.append(f"{key[0]}.{key[1]}.{c[0]}: 000 says {have[c[0]][1]}/{have[c[0]][2]}, 002 {c[1]}/{c[2]}; kept 000")
                    continue
                out.tables[key].append(c)
            for row in src.lines[key]:
                kind = row[0]
                # One primary key and one default per column: the first seed's.
                if kind == "pk":
                    have = [r for r in out.lines[key] if r[0] == "pk"]
                    if have and have[0] != row:
                        # A partitioned table's key must hold its partition
                        # key; where only one seed's key does, that one is right.
                        parts = [r[3] for r in out.lines[key] + src.lines[key] if r[0] == "partition"]
                        pcols = re.findall(r"\w+", parts[0].split("(", 1)[1]) if parts else []
                        holds = lambda r: all(c in r[3].split(",") for c in pcols)
                        pick = row if pcols and holds(row) and not holds(have[0]) else have[0]
                        out.notes.append(f"{key[0]}.{key[1]}: primary key ({have[0][3]}) vs ({row[3]}); kept ({pick[3]})")
                        out.lines[key][out.lines[key].index(have[0])] = pick
                    if have:
                        continue
                if kind in ("default", "fk", "length", "numeric"):
                    same = [r for r in out.lines[key] if r[0] == kind and r[3] == row[3]]
                    if same:
                        # Both describe it: what either states, the first seed's
                        # (000, exact DDL) where both state it.
                        first = same[0]
                        merged = tuple(a if a != "-" else b for a, b in zip(first, row))
                        out.lines[key][out.lines[key].index(first)] = merged
                        if any(a != "-" and b != "-" and loose(a) != loose(b) for a, b in zip(first[4:], row[4:])):
                            out.notes.append(f"{key[0]}.{key[1]}.{row[3]}: @{kind} {first[4:]} vs {row[4:]}; kept the first")
                        continue
                if row not in out.lines[key]:
                    out.lines[key].append(row)
        for k, v in src.enums.items():
            out.enum(k[0], k[1], v)
    return out


def build(seeds):
    fixtures = {}
    files = {app: seed_file(seeds, p) for app, p in SEEDS.items()}

    fx = Fixture("studio", [files["studio"][0]])
    studio(files["studio"][1], fx)
    fixtures["studio"] = fx

    fx = Fixture("orders", [files["orders"][0]])
    orders(files["orders"][1], fx)
    fixtures["orders"] = fx

    fx = Fixture("platform", [files["platform"][0]])
    platform(files["platform"][1], fx)
    fixtures["platform"] = fx

    # Course first: it lists the Supabase enum types, which 000 uses by name.
    course_fx = Fixture("course", [files["course"][0]])
    course_sb = Fixture("supabase (002)", [])
    for f in (course_fx, course_sb):
        f.schema_of_public = "course"
    tables, fks, enums, cpk = course_tables(files["course"][1], "course")
    course_columns(tables, fks, enums, cpk, lambda s: course_sb if s in SUPABASE_SCHEMAS else course_fx)
    for name, values in enums.items():
        course_sb.enum("auth", name, values)

    reports_fx = Fixture("reports", [files["reports"][0]])
    reports_sb = Fixture("supabase (000)", [])
    for f in (reports_fx, reports_sb):
        f.schema_of_public = "reports"
    tables, parts = reports_like(files["reports"][1], "reports", "000", set())
    # Schema-qualified types of 000 are Supabase enums (002 lists some; 000
    # names the rest), except realtime.user_defined_filter, a composite type.
    qualified = set()
    for cols in tables.values():
        for _, spec, _ in cols:
            m = re.match(r"(\w+)\.(\w+)(\[\])?", spec)
            if m and m.group(1) in SUPABASE_SCHEMAS:
                qualified.add((m.group(1), m.group(2)))
    known = {t for _, t in qualified if t != "user_defined_filter"} | set(enums)
    reports_columns(tables, parts, lambda s: reports_sb if s in SUPABASE_SCHEMAS else reports_fx, known, "000")
    for s, t in sorted(qualified):
        if t in known:
            reports_sb.enum(s, t, None)
    # Nothing dropped on the way: every column row and every `FK to` note.
    text = files["reports"][1]
    parsed = [f for f in (reports_fx, reports_sb)]
    cols = sum(len(c) for f in parsed for c in f.tables.values())
    fks = sum(1 for f in parsed for rows in f.lines.values() for r in rows if r[0] == "fk")
    rows = sum(1 for l in text.splitlines() if l.startswith("| `") and not l.startswith("| `PARTITION`"))
    if (cols, fks) != (rows, text.count("FK to `")):
        fail(f"000: parsed {cols} columns, {fks} foreign keys; the text has {rows}, {text.count('FK to `')}")
    reports_deviations(reports_fx)

    for fx in (reports_fx, course_fx):
        fx.uses = ["supabase"]
    fixtures["reports"] = reports_fx
    fixtures["course"] = course_fx
    fixtures["supabase"] = merge_supabase(
        reports_sb, course_sb, [files["reports"][0], files["course"][0]]
    )
    return fixtures


def main(argv):
    check = "--check" in argv
    args = [a for a in argv if a != "--check"]
    seeds = args[0] if args else os.path.join(REPO, "..", "shared", "seeds")
    fixtures = build(seeds)
    os.makedirs(OUT, exist_ok=True)
    stale = []
    for name, fx in fixtures.items():
        path = os.path.join(OUT, f"{name}.tsv")
        text = fx.render()
        old = open(path, encoding="utf-8").read() if os.path.exists(path) else None
        if old != text:
            stale.append(path)
            if not check:
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text)
        cols = sum(len(c) for c in fx.tables.values())
        print(f"{name}: {len(fx.tables)} tables, {cols} columns{' (changed)' if old != text else ''}")
    if check and stale:
        print("stale: " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
