// The mock news site's own script: mounts Marginalia on its story and shows
// the widget's events. The <marginalia-annotator> element below the story
// mounts itself once init() has run.
import init, { mount } from '../../embed/marginalia.js';

await init();

const events = document.getElementById('events');
const story = mount(document.getElementById('story'), { documentId: 'gazette-flood-barrier-2026-11' });
for (const name of ['create', 'update', 'delete', 'select']) {
  story.on(name, (annotation) => {
    const tag = annotation.body.find((b) => b.purpose === 'tagging')?.value;
    const quote = annotation.target.selector.find((s) => s.type === 'TextQuoteSelector')?.exact;
    events.textContent = `${name}: ${tag} “${quote}”`;
  });
}
// For the end-to-end tests and for curious readers in the console.
window.marginaliaDemo = { story };
