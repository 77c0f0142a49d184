// The OGC API's fixed documents: landing page, collection descriptions, the OpenAPI 3.0 description.
import { CONFORMANCE, CRS84, DEFAULT_LIMIT, GEOJSON, JSON_TYPE, MAX_LIMIT, NEXT_LIMIT, OPENAPI_TYPE } from '../../domain/ogc';
import type { CollectionDef, CollectionId } from './features';

/**
 * Links carry the caller's `?api_key=` on (`key` is that query, or ''): a client that can only put
 * the key into the URL (QGIS 3.22) and then follows our links stays signed in.
 */
export function landing(base: string, key = '') {
	return {
		title: '网格治理地图 · OGC API – Features',
		description: '网格、隐患、公开诉求的要素服务（WGS84 / CRS84）。QGIS：添加 WFS / OGC API – Features 图层；GDAL：ogrinfo OAPIF:' + base,
		links: [
			{ href: `${base}${key}`, rel: 'self', type: JSON_TYPE, title: '本页' },
			{ href: `${base}/api${key}`, rel: 'service-desc', type: OPENAPI_TYPE, title: 'OpenAPI 3.0 接口定义' },
			{ href: `${base}/conformance${key}`, rel: 'conformance', type: JSON_TYPE, title: '符合的标准类' },
			{ href: `${base}/collections${key}`, rel: 'data', type: JSON_TYPE, title: '要素集合' }
		]
	};
}

export function collectionDoc(base: string, c: CollectionDef, bbox: [number, number, number, number] | null, key = '') {
	const self = `${base}/collections/${c.id}`;
	return {
		id: c.id, title: c.title, description: c.description, itemType: 'feature', crs: [CRS84],
		...(bbox ? { extent: { spatial: { bbox: [bbox], crs: CRS84 } } } : {}),
		links: [
			{ href: `${self}${key}`, rel: 'self', type: JSON_TYPE, title: c.title },
			{ href: `${self}/items${key}`, rel: 'items', type: GEOJSON, title: `${c.title}要素` }
		]
	};
}

/** Each collection's feature properties, as read in features.ts (OpenAPI 3.0 schemas). */
const str = { type: 'string' };
const strOrNull = { type: 'string', nullable: true };
const when = { type: 'string', format: 'date-time', description: 'RFC 3339，北京时间（+08:00）' };
const whenOrNull = { ...when, nullable: true };
export const FEATURE_PROPERTIES: Record<CollectionId, Record<string, object>> = {
	grids: { code: { ...str, description: '15 位网格编码' }, name: str, community_code: { ...str, description: '12 位社区编码' }, community: str },
	hazards: {
		code: str, type: str, type_label: str, severity: { type: 'integer', minimum: 1, maximum: 3 }, severity_label: strOrNull,
		status: str, status_label: str, title: str, grid_code: str,
		found_at: whenOrNull, rectify_deadline: whenOrNull, rectified_at: whenOrNull, reinspected_at: whenOrNull
	},
	requests: {
		service_request_id: str, status: { type: 'string', enum: ['open', 'closed'] }, status_notes: str, service_name: str, service_code: str,
		description: str, agency_responsible: strOrNull, service_notice: strOrNull, requested_datetime: when, updated_datetime: when,
		expected_datetime: whenOrNull, address: strOrNull, address_id: strOrNull, zipcode: strOrNull, media_url: strOrNull
	}
};

const ref = (kind: string, name: string) => ({ $ref: `#/components/${kind}/${name}` });

/**
 * The service description (Part 1, /req/oas30): every path we answer, every parameter with its
 * schema (bbox as OGC writes it: `style: form, explode: false`), every response body, and how to
 * authenticate (the same API key as a bearer token or as `?api_key=`). QGIS reads `limit`'s
 * maximum and default from here.
 */
export function openApi(base: string, collections: CollectionDef[]) {
	const errors = { 400: ref('responses', 'InvalidParameter'), 401: ref('responses', 'Unauthorized'), 500: ref('responses', 'ServerError'), 503: ref('responses', 'ServiceUnavailable') };
	const get = (operationId: string, summary: string, tag: string, ok: object, extra: object = {}) => ({ get: { operationId, summary, tags: [tag], ...extra, responses: { 200: ok, ...errors } } });
	// public collections may still be read with a key (its user's view); hazards need one
	const open = [{}, { bearer: [] }, { api_key: [] }];
	const keyed = [{ bearer: [] }, { api_key: [] }];
	const paths: Record<string, object> = {
		'/': get('getLandingPage', '首页', 'Capabilities', ref('responses', 'LandingPage'), { parameters: [ref('parameters', 'f')], security: open }),
		'/conformance': get('getConformanceDeclaration', '符合的标准类', 'Capabilities', ref('responses', 'ConformanceDeclaration'), { parameters: [ref('parameters', 'f')], security: open }),
		'/api': get('getApiDescription', '本接口定义（OpenAPI 3.0）', 'Capabilities', { description: 'OpenAPI 3.0 文档', content: { [OPENAPI_TYPE]: { schema: { type: 'object' } } } }, { security: open }),
		'/collections': get('getCollections', '要素集合（未登录只列公开集合）', 'Capabilities', ref('responses', 'Collections'), { parameters: [ref('parameters', 'f')], security: open })
	};
	for (const c of collections) {
		const security = c.restricted ? keyed : open;
		const notFound = { 404: ref('responses', 'NotFound') };
		paths[`/collections/${c.id}`] = get(`describe_${c.id}`, `${c.title}：集合说明`, c.title, ref('responses', 'Collection'), { parameters: [ref('parameters', 'f')], security });
		const items = get(`get_${c.id}_features`, `${c.title}：要素（分页）`, c.title, {
			description: `${c.title}要素（GeoJSON FeatureCollection）`, content: { [GEOJSON]: { schema: ref('schemas', `${c.id}Collection`) } }
		}, {
			parameters: [ref('parameters', 'bbox'), ref('parameters', 'bbox-crs'), ref('parameters', 'datetime'), ref('parameters', 'limit'), ref('parameters', 'offset'), ref('parameters', 'f')],
			security
		});
		paths[`/collections/${c.id}/items`] = items;
		paths[`/collections/${c.id}/items/{featureId}`] = {
			get: {
				operationId: `get_${c.id}_feature`, summary: `${c.title}：单个要素`, tags: [c.title], security,
				parameters: [ref('parameters', 'featureId'), ref('parameters', 'f')],
				responses: { 200: { description: `一个${c.title}要素`, content: { [GEOJSON]: { schema: ref('schemas', `${c.id}Feature`) } } }, ...notFound, ...errors }
			}
		};
	}
	const link = { type: 'object', required: ['href', 'rel'], properties: { href: str, rel: str, type: str, title: str } };
	const links = { type: 'array', items: ref('schemas', 'link') };
	const geometry = {
		type: 'object', required: ['type', 'coordinates'], description: 'GeoJSON 几何（CRS84 经纬度）',
		properties: { type: { type: 'string', enum: ['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon'] }, coordinates: { type: 'array', items: {} } }
	};
	const schemas: Record<string, object> = {
		link, geometryGeoJSON: geometry,
		exception: { type: 'object', required: ['code'], properties: { code: str, description: str, parameter: str } },
		landingPage: { type: 'object', required: ['links'], properties: { title: str, description: str, links } },
		confClasses: { type: 'object', required: ['conformsTo'], properties: { conformsTo: { type: 'array', items: str } } },
		extent: {
			type: 'object', properties: {
				spatial: { type: 'object', properties: { bbox: { type: 'array', minItems: 1, items: { type: 'array', minItems: 4, maxItems: 6, items: { type: 'number' } } }, crs: { type: 'string', enum: [CRS84] } } }
			}
		},
		collection: {
			type: 'object', required: ['id', 'links'],
			properties: { id: str, title: str, description: str, links, extent: ref('schemas', 'extent'), itemType: { type: 'string', enum: ['feature'] }, crs: { type: 'array', items: str } }
		},
		collections: { type: 'object', required: ['links', 'collections'], properties: { links, collections: { type: 'array', items: ref('schemas', 'collection') } } }
	};
	for (const c of collections) {
		schemas[`${c.id}Feature`] = {
			type: 'object', required: ['type', 'id', 'geometry', 'properties'],
			properties: {
				type: { type: 'string', enum: ['Feature'] }, id: str, geometry: ref('schemas', 'geometryGeoJSON'),
				properties: { type: 'object', required: Object.keys(FEATURE_PROPERTIES[c.id]), properties: FEATURE_PROPERTIES[c.id] }, links
			}
		};
		schemas[`${c.id}Collection`] = {
			type: 'object', required: ['type', 'features'],
			properties: {
				type: { type: 'string', enum: ['FeatureCollection'] }, features: { type: 'array', items: ref('schemas', `${c.id}Feature`) }, links,
				numberMatched: { type: 'integer', minimum: 0 }, numberReturned: { type: 'integer', minimum: 0 }, timeStamp: when
			}
		};
	}
	const q = (name: string, schema: object, description: string, more: object = {}) => ({ name, in: 'query', required: false, schema, description, ...more });
	const parameters = {
		bbox: q('bbox', { type: 'array', minItems: 4, maxItems: 6, items: { type: 'number' } },
			'最小经度,最小纬度,最大经度,最大纬度（CRS84；6 个数时含高度）。返回与该范围相交（不仅外包矩形相交）的要素', { style: 'form', explode: false }),
		'bbox-crs': q('bbox-crs', { type: 'string', format: 'uri', enum: [CRS84] }, 'bbox 的坐标系：只支持 CRS84', { style: 'form', explode: false }),
		datetime: q('datetime', { type: 'string' },
			'RFC 3339 时刻或区间“开始/结束”，“..”为开放端；不带时区的时刻按北京时间（+08:00），日期（2026-11-21）指北京时间的整天。隐患按发现时间、诉求按上报时间筛选；网格没有时间，不受影响', { style: 'form', explode: false }),
		limit: q('limit', { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT },
			`每页条数；超过 ${MAX_LIMIT} 按 ${MAX_LIMIT} 返回；下一页链接至少取 ${NEXT_LIMIT} 条`, { style: 'form', explode: false }),
		offset: q('offset', { type: 'integer', minimum: 0, default: 0 }, '跳过的条数（与 next 链接一起分页）', { style: 'form', explode: false }),
		f: q('f', { type: 'string', enum: ['json', 'geojson'] }, '格式：只提供 JSON / GeoJSON', { style: 'form', explode: false }),
		featureId: { name: 'featureId', in: 'path', required: true, schema: str, description: '要素编码（网格、隐患或诉求编码）' }
	};
	const answer = (description: string, schema: object, type = JSON_TYPE) => ({ description, content: { [type]: { schema } } });
	const responses = {
		LandingPage: answer('首页与链接', ref('schemas', 'landingPage')),
		ConformanceDeclaration: answer('符合的标准类', ref('schemas', 'confClasses')),
		Collections: answer('要素集合', ref('schemas', 'collections')),
		Collection: answer('集合说明', ref('schemas', 'collection')),
		InvalidParameter: answer('参数错误（parameter 指出是哪个参数）', ref('schemas', 'exception')),
		Unauthorized: answer('需要登录或接口密钥，或密钥无效', ref('schemas', 'exception')),
		NotFound: answer('集合或要素不存在', ref('schemas', 'exception')),
		ServerError: answer('服务器内部错误', ref('schemas', 'exception')),
		ServiceUnavailable: answer('数据准备中或数据库暂不可用（见 Retry-After）', ref('schemas', 'exception'))
	};
	return {
		openapi: '3.0.3',
		info: {
			title: '网格治理地图 OGC API – Features', version: '1.0.0',
			description: `OGC API – Features Part 1（Core、GeoJSON、OpenAPI 3.0）。符合：${CONFORMANCE.join('，')}`
		},
		servers: [{ url: base }],
		tags: [{ name: 'Capabilities', description: '服务说明' }, ...collections.map((c) => ({ name: c.title, description: c.description }))],
		paths,
		components: {
			securitySchemes: {
				bearer: { type: 'http', scheme: 'bearer', description: '接口密钥作为 Bearer 令牌：Authorization: Bearer gg_…' },
				api_key: { type: 'apiKey', in: 'query', name: 'api_key', description: '不能设置请求头的客户端（QGIS 3.22 等）：在地址后加 ?api_key=gg_…' }
			},
			parameters, schemas, responses
		}
	};
}
