-- taxshare install script, assembled by the Makefile from control/install/*.sql.
\echo Use "CREATE EXTENSION taxshare" to load this file. \quit

-- The schema is created by CREATE EXTENSION (control file: schema = taxshare).
COMMENT ON SCHEMA taxshare IS
  '财税综合信息平台核心 / core of the tax-related information sharing platform';

CREATE FUNCTION taxshare.taxshare_version() RETURNS text
  AS 'MODULE_PATHNAME', 'taxshare_version'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.taxshare_version() IS
  '已加载的共享库版本 / version of the loaded shared library';
