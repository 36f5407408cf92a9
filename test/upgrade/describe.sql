-- test/upgrade/describe.sql: the schema of the installed taxshare, one line per
-- fact, read from the system catalogs (pg_dump leaves out extension members).
-- test/upgrade.sh runs it in a database upgraded from an old release and in a
-- fresh install of the new version; the two outputs must be equal.
--
-- Each line is "category|object|fact".  Names are qualified and stable across
-- databases (no OIDs); the owner and the grantor are left out, since the two
-- databases are created by the same superuser anyway.
\pset format unaligned
\pset tuples_only on
\pset footer off
SET search_path = pg_catalog;

WITH ns AS (SELECT oid FROM pg_namespace WHERE nspname = 'taxshare'),
rel AS (
  SELECT c.oid, c.relname, c.relkind FROM pg_class c, ns WHERE c.relnamespace = ns.oid
),
fn AS (
  SELECT p.oid, p.oid::regprocedure::text AS sig FROM pg_proc p, ns WHERE p.pronamespace = ns.oid
),
facts(category, object, fact) AS (
  -- every member of the extension, whatever its kind (operators, casts, ...)
  SELECT 'member', pg_describe_object(d.classid, d.objid, d.objsubid), ''
    FROM pg_depend d JOIN pg_extension e ON d.refobjid = e.oid AND d.refclassid = 'pg_extension'::regclass
   WHERE e.extname = 'taxshare' AND d.deptype = 'e'
  UNION ALL
  -- relations: kind, persistence, row-level security, options
  SELECT 'relation', r.relname,
         format('kind=%s persistence=%s rls=%s force_rls=%s options=%s', c.relkind, c.relpersistence,
                c.relrowsecurity, c.relforcerowsecurity, coalesce(c.reloptions::text, ''))
    FROM rel r JOIN pg_class c ON c.oid = r.oid
  UNION ALL
  -- columns in order, with type, NOT NULL, default, identity, generation, collation
  SELECT 'column', r.relname || '.' || a.attname,
         format('position=%s type=%s not_null=%s default=%s identity=%s generated=%s collation=%s',
                row_number() OVER (PARTITION BY r.oid ORDER BY a.attnum),
                format_type(a.atttypid, a.atttypmod), a.attnotnull,
                coalesce(pg_get_expr(ad.adbin, ad.adrelid), ''), a.attidentity, a.attgenerated,
                coalesce(co.collname, ''))
    FROM rel r
    JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
    LEFT JOIN pg_collation co ON co.oid = a.attcollation AND a.attcollation <> 100
   WHERE r.relkind IN ('r', 'p', 'v', 'm', 'f', 'c')
  UNION ALL
  SELECT 'index', i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
    FROM pg_index i JOIN rel r ON r.oid = i.indrelid
  UNION ALL
  SELECT 'constraint', coalesce(r.relname, t.typname) || '.' || con.conname,
         con.contype::text || ' ' || pg_get_constraintdef(con.oid)
    FROM pg_constraint con
    LEFT JOIN rel r ON r.oid = con.conrelid
    LEFT JOIN pg_type t ON t.oid = con.contypid
   WHERE con.connamespace = (SELECT oid FROM ns)
  UNION ALL
  -- functions: signature, result, language, volatility, strictness, parallel
  -- safety, SECURITY DEFINER, settings, cost, rows, the body's digest and the C symbol
  SELECT 'function', f.sig,
         format('kind=%s returns=%s language=%s volatile=%s strict=%s parallel=%s definer=%s leakproof=%s config=%s cost=%s rows=%s body=%s symbol=%s',
                p.prokind, pg_get_function_result(p.oid), l.lanname, p.provolatile, p.proisstrict,
                p.proparallel, p.prosecdef, p.proleakproof, coalesce(p.proconfig::text, ''),
                p.procost, p.prorows, md5(p.prosrc), coalesce(p.probin, ''))
    FROM fn f JOIN pg_proc p ON p.oid = f.oid JOIN pg_language l ON l.oid = p.prolang
  UNION ALL
  SELECT 'trigger', r.relname || '.' || tg.tgname, pg_get_triggerdef(tg.oid) || ' enabled=' || tg.tgenabled::text
    FROM pg_trigger tg JOIN rel r ON r.oid = tg.tgrelid
   WHERE NOT tg.tgisinternal
  UNION ALL
  SELECT 'policy', pol.tablename || '.' || pol.policyname,
         format('%s %s roles=%s using=%s check=%s', pol.permissive, pol.cmd, pol.roles::text,
                coalesce(pol.qual, ''), coalesce(pol.with_check, ''))
    FROM pg_policies pol WHERE pol.schemaname = 'taxshare'
  UNION ALL
  SELECT 'view', r.relname, pg_get_viewdef(r.oid)
    FROM rel r WHERE r.relkind IN ('v', 'm')
  UNION ALL
  SELECT 'sequence', r.relname,
         format('type=%s start=%s increment=%s min=%s max=%s cycle=%s', format_type(s.seqtypid, NULL),
                s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcycle)
    FROM rel r JOIN pg_sequence s ON s.seqrelid = r.oid
  UNION ALL
  SELECT 'type', t.typname,
         format('kind=%s base=%s not_null=%s default=%s', t.typtype,
                CASE WHEN t.typbasetype <> 0 THEN format_type(t.typbasetype, t.typtypmod) ELSE '' END,
                t.typnotnull, coalesce(t.typdefault, ''))
    FROM pg_type t, ns
   WHERE t.typnamespace = ns.oid AND t.typtype IN ('d', 'e', 'r', 'm')
      OR (t.typnamespace = ns.oid AND t.typtype = 'c'
          AND EXISTS (SELECT FROM pg_class c WHERE c.oid = t.typrelid AND c.relkind = 'c'))
  UNION ALL
  SELECT 'enum', t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
    FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid, ns
   WHERE t.typnamespace = ns.oid GROUP BY t.typname
  UNION ALL
  -- privileges, one line per grantee and privilege
  SELECT 'grant', r.relname,
         format('%s %s%s', CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE x.grantee::regrole::text END,
                x.privilege_type, CASE WHEN x.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END)
    FROM rel r JOIN pg_class c ON c.oid = r.oid, aclexplode(c.relacl) x
  UNION ALL
  SELECT 'grant', r.relname || '.' || a.attname,
         format('%s %s', CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE x.grantee::regrole::text END, x.privilege_type)
    FROM rel r JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0, aclexplode(a.attacl) x
  UNION ALL
  SELECT 'grant', f.sig,
         format('%s %s', CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE x.grantee::regrole::text END, x.privilege_type)
    FROM fn f JOIN pg_proc p ON p.oid = f.oid, aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) x
  UNION ALL
  SELECT 'grant', 'schema taxshare',
         format('%s %s', CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE x.grantee::regrole::text END, x.privilege_type)
    FROM pg_namespace n, aclexplode(n.nspacl) x WHERE n.nspname = 'taxshare'
  UNION ALL
  -- comments on relations, columns, functions, types and the schema
  SELECT 'comment', r.relname, obj_description(r.oid, 'pg_class')
    FROM rel r WHERE obj_description(r.oid, 'pg_class') IS NOT NULL
  UNION ALL
  SELECT 'comment', r.relname || '.' || a.attname, col_description(r.oid, a.attnum)
    FROM rel r JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
   WHERE col_description(r.oid, a.attnum) IS NOT NULL
  UNION ALL
  SELECT 'comment', f.sig, obj_description(f.oid, 'pg_proc')
    FROM fn f WHERE obj_description(f.oid, 'pg_proc') IS NOT NULL
  UNION ALL
  SELECT 'comment', 'schema taxshare', obj_description(ns.oid, 'pg_namespace') FROM ns
  UNION ALL
  -- tables whose rows pg_dump keeps (pg_extension_config_dump), with their filter
  SELECT 'config_dump', c.relname, coalesce(e.extcondition[i], '')
    FROM pg_extension e, generate_subscripts(e.extconfig, 1) i
    JOIN pg_class c ON true
   WHERE e.extname = 'taxshare' AND c.oid = e.extconfig[i]
  UNION ALL
  -- the privilege plan (control/install/00_schema.sql): its rows are part of the schema
  SELECT 'privilege_plan', pp.kind || ' ' || pp.object,
         concat_ws(' ', 'admin=' || pp.admin, 'analyst=' || pp.analyst, 'tax=' || pp.tax,
                   'unit=' || pp.unit, 'operator=' || pp.operator, 'exchange=' || pp.exchange)
    FROM taxshare.privilege_plan pp
  UNION ALL
  SELECT 'extension', e.extname, format('schema=%s relocatable=%s', e.extnamespace::regnamespace, e.extrelocatable)
    FROM pg_extension e WHERE e.extname = 'taxshare'
)
SELECT category || '|' || object || '|' || replace(coalesce(fact, ''), E'\n', ' ')
  FROM facts
 ORDER BY 1;
