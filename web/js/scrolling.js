// Boxes that may scroll (a wide formula or table, a long history) carry data-scroll-label.
// Keyboard users can only scroll a box they can focus, so while one overflows it becomes a
// Tab stop, named for screen readers; when it fits again it leaves the Tab order.
export function markScrollable(root = document) {
  for (const box of root.querySelectorAll("[data-scroll-label]")) {
    const overflows = box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
    if (overflows) {
      box.tabIndex = 0;
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", `${box.dataset.scrollLabel} (scrolls)`);
    } else {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
    }
  }
}
