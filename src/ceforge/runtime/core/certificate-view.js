/* ceforge runtime core: the App's certificate, every field a board asks for, as printed. */
(function (root) {
  "use strict";

  const Ceforge = root.Ceforge;
  const { h, factList } = Ceforge.dom;
  const { facts, presenters, contactLine, printedCode } = Ceforge.certificate;
  const { collected } = Ceforge.state;

  /** Above this many characters of approval statements the certificate sets them smaller, so
   * that it still prints on one page (print.css); a statement is never cut. */
  const DENSE_STATEMENTS = 900;

  Object.assign(Ceforge.App.prototype, {
    /**
     * The certificate (docs/runtime.md, "The certificate"): provider, the learner's name and
     * licence details, the course, its version and presenters, the facts (date, hours, ethics
     * hours, format, level, score), each approval with its number, hours and statement, the
     * signature, how to reach the provider, and the verification code. Each field has its
     * `data-testid`.
     */
    certificate() {
      const t = this.t;
      const course = this.data.course;
      const ce = course.ce;
      const record = this.state.certificate;
      const logo = course.theme && course.theme.logo;
      const approvals = (ce && ce.approvals) || [];
      const statements = approvals.reduce((n, a) => n + (a.statement || "").length, 0);
      const dense = statements > DENSE_STATEMENTS ? " cf-cert-dense" : "";
      return h("article", { class: "cf-certificate" + dense, "data-testid": "certificate",
        "aria-labelledby": "cf-cert-title" },
      logo ? h("img", { class: "cf-cert-logo", src: logo, alt: "" }) : null,
      ce && ce.provider ? h("p", { class: "cf-cert-provider", "data-testid": "certificate-provider",
        text: ce.provider }) : null,
      h("h2", { id: "cf-cert-title", class: "cf-cert-title", text: t("certificate_heading") }),
      h("p", { class: "cf-cert-lead", text: t("certificate_certifies") }),
      h("p", { class: "cf-cert-name", "data-testid": "certificate-name",
        text: this.certificateName() }),
      this.licenseLine(record),
      h("p", { class: "cf-cert-lead", text: t("certificate_completed") }),
      h("p", { class: "cf-cert-course", "data-testid": "certificate-course", text: course.title }),
      h("p", { class: "cf-cert-version", "data-testid": "certificate-version",
        text: t("certificate_version", { version: course.version }) }),
      this.presenterLine(),
      factList(facts(this.data, this.state, t, this.fmt), "cf-cert-facts", "certificate-fact-"),
      approvals.length ? h("div", { class: "cf-cert-approvals" },
        approvals.map((approval) => this.approvalEntry(approval))) : null,
      this.signatureBlock(),
      h("div", { class: "cf-cert-footer" },
        contactLine(this.data) ? h("p", { class: "cf-cert-contact",
          "data-testid": "certificate-contact", text: contactLine(this.data) }) : null,
        record.code ? h("p", { class: "cf-cert-code" }, t("certificate_code") + " ",
          h("span", { "data-testid": "certificate-code", text: printedCode(record.code) }),
          h("span", { class: "cf-cert-code-hint", text: " " + t("certificate_code_hint") }))
          : null));
    },

    licenseLine(record) {
      const t = this.t;
      const asked = collected(this.data);
      if (!asked.length) return null;
      return h("p", { class: "cf-cert-license" }, asked.map((field, i) => [
        i ? " · " : "", t("certificate_" + field) + ": ",
        h("span", { "data-testid": "certificate-" + field.replace("_", "-"),
          text: record[field] || "" })]));
    },

    presenterLine() {
      const names = presenters(this.data);
      if (!names.length) return null;
      return h("p", { class: "cf-cert-presenters" }, this.t("certificate_presenters") + ": ",
        names.map((name, i) => [i ? "; " : "",
          h("span", { "data-testid": "certificate-presenter", text: name })]));
    },

    approvalEntry(approval) {
      return h("div", { class: "cf-cert-approval", "data-testid": "certificate-approval" },
        h("p", { class: "cf-cert-body" },
          h("strong", { "data-testid": "certificate-body", text: approval.body }),
          approval.number ? [" · ", h("span", { "data-testid": "certificate-number",
            text: approval.label + " " + approval.number })] : null,
          approval.hours_text ? [" · ", h("span", { "data-testid": "certificate-approval-hours",
            text: approval.hours_text })] : null),
        approval.statement ? h("p", { class: "cf-cert-statement",
          "data-testid": "certificate-statement", text: approval.statement }) : null);
    },

    signatureBlock() {
      const certificate = this.data.course.certificate;
      const signature = certificate && certificate.signature;
      if (!signature) return null;
      return h("div", { class: "cf-cert-signature", "data-testid": "certificate-signature" },
        signature.image ? h("img", { src: signature.image,
          alt: this.t("certificate_signature_alt", { name: signature.name }) }) : null,
        h("p", { class: "cf-cert-signer", "data-testid": "certificate-signer-name",
          text: signature.name }),
        signature.title ? h("p", { class: "cf-cert-signer-title",
          "data-testid": "certificate-signer-title", text: signature.title }) : null);
    },
  });
})(window);
