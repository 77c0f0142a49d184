-- 走访路线单的联系人: each stop's contact is the 网格员 of its grid — name, 职务 and phone.
-- A grid worker's name and phone are public by design (every community posts them on its
-- 网格员公示牌 so residents can call), so whoever may see a grid may read its worker's; every other
-- colleague's phone stays hidden from grid_app (0007 grants no users.phone). An inactive account
-- is no contact.
CREATE FUNCTION grid_contacts(p_codes text[])
  RETURNS TABLE (grid_code text, name text, title text, phone text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_catalog AS $$
  SELECT g.code, u.display_name, u.title, u.phone
  FROM grids g JOIN users u ON u.id = g.manager_id AND u.active
  WHERE g.code = ANY (p_codes) AND app_sees_grid(g.code)
$$;
REVOKE ALL ON FUNCTION grid_contacts(text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION grid_contacts(text[]) TO grid_app;
