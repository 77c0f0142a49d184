// Old URL of /api/research/topics/:id, kept so that saved links and scripts keep working (docs/glossary.md).
export { GET } from '../../research/topics/[id]/+server';
