/**
 * jsdom does no layout: every element is 0×0. The virtual grid sizes itself from its scroller's
 * clientWidth/clientHeight, so tests give scrollers a fixed viewport (and a settable scrollTop).
 */
export function fakeViewport(width = 800, height = 600): () => void {
  const proto = HTMLElement.prototype
  const saved = {
    clientWidth: Object.getOwnPropertyDescriptor(proto, 'clientWidth'),
    clientHeight: Object.getOwnPropertyDescriptor(proto, 'clientHeight'),
  }
  const isScroller = (el: HTMLElement) => el.classList.contains('scroller')
  Object.defineProperty(proto, 'clientWidth', {
    configurable: true,
    get(this: HTMLElement) {
      return isScroller(this) ? width : 0
    },
  })
  Object.defineProperty(proto, 'clientHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return isScroller(this) ? height : 0
    },
  })
  return () => {
    if (saved.clientWidth) Object.defineProperty(proto, 'clientWidth', saved.clientWidth)
    if (saved.clientHeight) Object.defineProperty(proto, 'clientHeight', saved.clientHeight)
  }
}

/** Scrolls an element the way the browser would: sets scrollTop and fires `scroll`. */
export function scrollTo(element: HTMLElement, top: number): void {
  Object.defineProperty(element, 'scrollTop', { configurable: true, value: top, writable: true })
  element.dispatchEvent(new Event('scroll'))
}
