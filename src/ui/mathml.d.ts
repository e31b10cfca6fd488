// MathML elements for JSX: Chromium renders MathML Core natively, so the loss formula needs
// no typesetting library; React passes these through as ordinary elements.
import 'react';

type MathProps = import('react').DetailedHTMLProps<
  import('react').HTMLAttributes<HTMLElement> & { display?: 'block' | 'inline' },
  HTMLElement
>;

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      math: MathProps;
      mrow: MathProps;
      mi: MathProps;
      mn: MathProps;
      mo: MathProps;
      mtext: MathProps;
      msub: MathProps;
      msup: MathProps;
      mfrac: MathProps;
      munder: MathProps;
      mspace: MathProps & { width?: string };
    }
  }
}
