// Old URL of GET /api/research/sites, kept so that saved links and scripts keep working (docs/glossary.md).
export { GET } from '../../research/sites/+server';
