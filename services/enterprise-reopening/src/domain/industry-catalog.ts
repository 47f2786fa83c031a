/** The industries the service knows, as deciders ask about them. */
export interface IndustryCatalog {
  has(industryCode: string): boolean;
}

/** The guideline of an industry in force when a command arrives: its version and the codes of its required measures. */
export interface CurrentGuideline {
  readonly industryCode: string;
  readonly guidelineVersion: number;
  readonly measures: readonly string[];
}
