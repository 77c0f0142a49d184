// Old URL of POST /api/visits/itinerary, kept so that saved scripts keep working (docs/glossary.md).
export { POST } from '../itinerary/+server';
