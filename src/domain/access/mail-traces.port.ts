/** What the mail channel keeps of a person beyond the case itself; erased with their identity. */
export interface MailTraces {
  /**
   * Blanks the recipient and text of the case's outgoing mails (unsent ones are cancelled) and
   * answers the stored raw messages of the mail received for the case, for erasure.
   */
  forgetCase(caseId: string): Promise<string[]>;
}
