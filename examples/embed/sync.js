// The shared-desk demo: Marginalia on the story, synced with the CouchDB
// database named in the address (?server=https://couch.example&db=desk;
// &user= and &password= for basic credentials, else the server's cookie).
import init, { mount } from '../../embed/marginalia.js';

await init();

const query = new URLSearchParams(location.search);
const server = query.get('server');
const options = { documentId: 'gazette-flood-barrier-sync' };
if (server) {
  options.sync = { url: server, database: query.get('db') ?? 'marginalia' };
  if (query.get('user')) options.sync.credentials = { username: query.get('user'), password: query.get('password') ?? '' };
}
const story = mount(document.getElementById('story'), options);
window.marginaliaDemo = { story };
