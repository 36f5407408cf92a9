-- #14: holidays of a new year ship through _holiday_ship_year() (50_calendar.sql).
-- How a release ships the holidays of a new year (docs/calendar.md, "Holidays in
-- releases"): the upgrade script of the first release after the State Council's
-- notice calls this with the notice's days.  A year the DBA has already typed in
-- with holiday_add_year() is left exactly as the DBA has it.
CREATE FUNCTION taxshare._holiday_ship_year(year integer, days jsonb) RETURNS integer
  LANGUAGE plpgsql
  SET search_path = pg_catalog, taxshare, pg_temp
AS $$
BEGIN
  IF EXISTS (SELECT FROM taxshare.holiday h WHERE h.day BETWEEN make_date(year, 1, 1) AND make_date(year, 12, 31)) THEN
    RETURN 0;
  END IF;
  RETURN taxshare.holiday_add_year(year, days);
END
$$;
COMMENT ON FUNCTION taxshare._holiday_ship_year(integer, jsonb) IS
  '升级脚本随版本发布某年的节假日安排: 该年已有数据 (管理员已录入) 时不作改动; 返回写入行数 / '
  'ships a year''s holiday notice in an upgrade script: leaves a year that already has data (entered by the DBA) untouched; returns the number of rows written';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', '_holiday_ship_year(integer, jsonb)', 'X', '', '', '', '', '');
SELECT taxshare._privileges_apply();
