// Placeholder until its owning helper writes the page (DESIGN-16 route table). The lead checks none is left.
import { h, heading } from '../ui.js';

export async function render(root, ctx) {
  root.append(heading('caregiver'), h('p', {}, 'Coming soon.'));
  root.dataset.ready = 'true';
}
