// The sidebar tree: district → streets → communities → grids, built from the flat area list and
// the grid codes (a grid's community is its first 12 digits).

export type AreaLevel = 'district' | 'street' | 'community';

/** An area as the API and pages pass it around: its place in the hierarchy and its bounds. */
export interface AreaNode {
	code: string;
	name: string;
	level: AreaLevel;
	parent: string | null;
	/** [west, south, east, north] */
	bbox: [number, number, number, number];
}

export interface TreeNode {
	code: string;
	name: string;
	level: 'district' | 'street' | 'community' | 'grid';
	children: TreeNode[];
}

export function buildTree(
	areas: readonly Pick<AreaNode, 'code' | 'name' | 'level' | 'parent'>[],
	grids: readonly { code: string; name: string }[]
): TreeNode[] {
	const nodes = new Map<string, TreeNode>();
	for (const a of areas) nodes.set(a.code, { code: a.code, name: a.name, level: a.level, children: [] });
	const roots: TreeNode[] = [];
	for (const a of areas) {
		const parent = a.parent ? nodes.get(a.parent) : undefined;
		(parent ? parent.children : roots).push(nodes.get(a.code)!);
	}
	for (const g of grids) nodes.get(g.code.slice(0, 12))?.children.push({ code: g.code, name: g.name, level: 'grid', children: [] });
	const sort = (list: TreeNode[]) => {
		list.sort((a, b) => a.code.localeCompare(b.code));
		list.forEach((n) => sort(n.children));
	};
	sort(roots);
	return roots;
}
