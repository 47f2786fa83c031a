/** The industries the service knows, as deciders ask about them. */
export interface IndustryCatalog {
  has(industryCode: string): boolean;
}
