// Old URL of /api/research/topics, kept so that saved links and scripts keep working (docs/glossary.md).
export { GET, POST } from '../research/topics/+server';
