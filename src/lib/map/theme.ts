// Colours of the two themes. Base-map colours stay quiet (greys, muted blue/green) so the grid
// choropleth and the points carry the meaning; point colours are picked to read on both.

export type Theme = 'light' | 'dark';

export interface Palette {
	background: string;
	land: string;
	park: string;
	water: string;
	roadLocal: string;
	roadArterial: string;
	roadCasing: string;
	/** a building's mark (the data holds a point per building, no footprint) and its outline */
	building: string;
	buildingOutline: string;
	boundaryDistrict: string;
	boundaryStreet: string;
	boundaryCommunity: string;
	gridLine: string;
	focus: string;
	text: string;
	textHalo: string;
	waterText: string;
	gridFillOpacity: number;
	/** grids outside the user's scope: one quiet colour, fainter than any class */
	gridOutside: string;
	gridOutsideOpacity: number;
	/** deck.gl point colours, RGBA 0–255 */
	household: [number, number, number, number];
	householdStale: [number, number, number, number];
	householdVulnerable: [number, number, number, number];
	hazard: [number, number, number, number];
	request: [number, number, number, number];
	requestOverdue: [number, number, number, number];
	pointOutline: [number, number, number, number];
}

export const PALETTES: Record<Theme, Palette> = {
	light: {
		background: '#eef0f2',
		land: '#f6f4ef',
		park: '#d8ead0',
		water: '#a9cbe8',
		roadLocal: '#ffffff',
		roadArterial: '#fcd581',
		roadCasing: '#a8916a',
		building: '#cbbfb2',
		buildingOutline: '#76685b',
		boundaryDistrict: '#5b4a7a',
		boundaryStreet: '#7a6a98',
		boundaryCommunity: '#9a90b0',
		gridLine: '#6d6d6d',
		focus: '#0057d9',
		text: '#2b2b2b',
		textHalo: '#ffffff',
		waterText: '#2f5f8f',
		gridFillOpacity: 0.6,
		gridOutside: '#b8bcc4',
		gridOutsideOpacity: 0.35,
		household: [37, 99, 168, 200],
		householdStale: [120, 120, 120, 170],
		householdVulnerable: [214, 96, 0, 230],
		hazard: [142, 36, 170, 255],
		request: [0, 137, 123, 255],
		requestOverdue: [211, 17, 39, 255],
		pointOutline: [255, 255, 255, 255]
	},
	dark: {
		background: '#11151c',
		land: '#1a1f27',
		park: '#1f3326',
		water: '#1d3a56',
		roadLocal: '#3a414d',
		roadArterial: '#6b5a32',
		roadCasing: '#0c0f14',
		building: '#4d5463',
		buildingOutline: '#a3abb9',
		boundaryDistrict: '#c9b8f0',
		boundaryStreet: '#a996d6',
		boundaryCommunity: '#7d6fa3',
		gridLine: '#9aa3b0',
		focus: '#4fc3ff',
		text: '#e8e8e8',
		textHalo: '#11151c',
		waterText: '#8fc1ee',
		gridFillOpacity: 0.62,
		gridOutside: '#3a4150',
		gridOutsideOpacity: 0.4,
		household: [110, 180, 255, 210],
		householdStale: [150, 150, 150, 170],
		householdVulnerable: [255, 150, 50, 235],
		hazard: [214, 120, 255, 255],
		request: [38, 214, 190, 255],
		requestOverdue: [255, 70, 85, 255],
		pointOutline: [17, 21, 28, 255]
	}
};
