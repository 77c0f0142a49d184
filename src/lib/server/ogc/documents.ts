// The OGC API's fixed documents: landing page, collection descriptions, a light OpenAPI 3.0.
import { CRS84, GEOJSON, JSON_TYPE, OPENAPI_TYPE, MAX_LIMIT, DEFAULT_LIMIT } from '../../domain/ogc';
import type { CollectionDef } from './features';

export function landing(base: string) {
	return {
		title: '网格治理地图 · OGC API – Features',
		description: '网格、隐患、公开诉求的要素服务（WGS84 / CRS84）。QGIS：添加 WFS / OGC API – Features 图层；GDAL：ogrinfo OAPIF:' + base,
		links: [
			{ href: base, rel: 'self', type: JSON_TYPE, title: '本页' },
			{ href: `${base}/api`, rel: 'service-desc', type: OPENAPI_TYPE, title: 'OpenAPI 3.0 接口定义' },
			{ href: `${base}/conformance`, rel: 'conformance', type: JSON_TYPE, title: '符合的标准类' },
			{ href: `${base}/collections`, rel: 'data', type: JSON_TYPE, title: '要素集合' }
		]
	};
}

export function collectionDoc(base: string, c: CollectionDef, bbox: [number, number, number, number] | null) {
	const self = `${base}/collections/${c.id}`;
	return {
		id: c.id, title: c.title, description: c.description, itemType: 'feature', crs: [CRS84],
		...(bbox ? { extent: { spatial: { bbox: [bbox], crs: CRS84 } } } : {}),
		links: [
			{ href: self, rel: 'self', type: JSON_TYPE, title: c.title },
			{ href: `${self}/items`, rel: 'items', type: GEOJSON, title: `${c.title}要素` }
		]
	};
}

export function openApi(base: string, ids: string[]) {
	const param = (name: string, schema: object, description: string) => ({ name, in: 'query', required: false, schema, description });
	const ok = (type: string) => ({ 200: { description: 'OK', content: { [type]: {} } }, 400: { description: '参数错误' } });
	const paths: Record<string, object> = {
		'/': { get: { summary: '首页', responses: ok(JSON_TYPE) } },
		'/conformance': { get: { summary: '符合的标准类', responses: ok(JSON_TYPE) } },
		'/collections': { get: { summary: '要素集合', responses: ok(JSON_TYPE) } }
	};
	for (const id of ids) {
		paths[`/collections/${id}`] = { get: { summary: id, responses: ok(JSON_TYPE) } };
		paths[`/collections/${id}/items`] = {
			get: {
				summary: `${id} 要素`,
				parameters: [
					param('bbox', { type: 'array', minItems: 4, maxItems: 6, items: { type: 'number' } }, 'minLon,minLat,maxLon,maxLat (CRS84)'),
					param('limit', { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT }, '每页条数'),
					param('offset', { type: 'integer', minimum: 0, default: 0 }, '跳过条数'),
					param('datetime', { type: 'string' }, 'RFC 3339 时刻或区间 start/end'),
					param('f', { type: 'string', enum: ['json'] }, '格式')
				],
				responses: ok(GEOJSON)
			}
		};
		paths[`/collections/${id}/items/{featureId}`] = {
			get: { summary: `${id} 单个要素`, parameters: [{ name: 'featureId', in: 'path', required: true, schema: { type: 'string' } }], responses: { ...ok(GEOJSON), 404: { description: '不存在' } } }
		};
	}
	return { openapi: '3.0.3', info: { title: '网格治理地图 OGC API – Features', version: '1.0.0' }, servers: [{ url: base }], paths };
}
