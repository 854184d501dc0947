/* ceforge runtime core: the App's attestation, completion page and certificate. */
(function (root) {
  "use strict";

  const Ceforge = root.Ceforge;
  const { NAME_MAX, FIELD_MAX } = Ceforge.limits;
  const { h, icon, textOf } = Ceforge.dom;
  const { pageHash } = Ceforge.routes;
  const { today } = Ceforge.certificate;
  const { collected } = Ceforge.state;

  Object.assign(Ceforge.App.prototype, {
    // the attestation

    renderAttestation(block) {
      const t = this.t;
      const wrap = this.blockShell(block);
      const textId = "cf-attest-text-" + block.id;
      wrap.append(h("div", { class: "cf-attestation-text", id: textId, html: block.intro_html }));
      if (this.state.attested) {
        wrap.append(h("p", { class: "cf-success", tabindex: "-1", "data-testid": "attest-done" },
          icon("check"), t("attested_on", { date: this.fmt.day(this.state.attested) })));
        return wrap;
      }
      this.gate(block, this.gateSignature(block));
      const missing = this.missingBeforeAttestation();
      if (missing.length) {
        wrap.append(this.locked(t("locked_attestation"), missing));
        return wrap;
      }
      const boxId = "cf-attest-" + block.id;
      const box = h("input", { type: "checkbox", id: boxId, class: "cf-check",
        "data-testid": "attest-checkbox", "aria-describedby": textId });
      const message = h("p", { class: "cf-form-error", "aria-live": "polite" });
      wrap.append(h("form", { class: "cf-attest-form", novalidate: true,
        onsubmit: (event) => {
          event.preventDefault();
          if (!box.checked) {
            message.textContent = t("attest_need_checkbox");
            box.focus();
            return;
          }
          this.state.attested = today();
          this.emit({ type: "attested", block: { id: block.id, kind: block.kind },
            statement: textOf(block.intro_html) });
          this.changed();
          const el = this.replaceBlock(block);
          const done = el.querySelector(".cf-success");
          if (done) done.focus();
          this.announce(done ? done.textContent : "");
        } },
      h("div", { class: "cf-choice cf-attest-choice" }, box,
        h("label", { for: boxId, text: t("attest_checkbox") })),
      h("div", { class: "cf-actions" },
        h("button", { type: "submit", class: "cf-button", "data-testid": "attest-submit",
          text: t("attest_submit") })), message));
      return wrap;
    },

    // completion and the certificate

    showCompletion() {
      const t = this.t;
      this.view = { kind: "completion" };
      const heading = h("h1", { class: "cf-page-title", tabindex: "-1", "data-testid": "page-title",
        text: t("completion_title") });
      this.checklist = h("ul", { class: "cf-checklist", "data-testid": "checklist" });
      this.checklistItems = {};
      const page = h("article", { class: "cf-page cf-completion" },
        h("p", { class: "cf-eyebrow", text: this.data.course.title }),
        heading, ...this.notices(),
        this.completionStatus = h("p", { class: "cf-lead", "data-testid": "completion-status" }),
        h("section", { class: "cf-requirements", "aria-labelledby": "cf-req-title" },
          h("h2", { id: "cf-req-title", text: t("requirements_heading") }), this.checklist),
        this.certificateSlot = h("div", { class: "cf-certificate-slot" }),
        this.reflectionsSection());
      this.viewEl.textContent = "";
      const last = this.ix.pages.length - 1;
      this.viewEl.append(page, h("nav", { class: "cf-pager", "aria-label": t("pager_label") },
        last >= 0 ? h("a", { class: "cf-button cf-button-secondary", rel: "prev", "data-testid": "prev",
          href: pageHash(this.ix.pages[last].page.id) }, icon("prev"), t("previous")) : h("span"),
        h("span"), h("span")));
      this.certificateDay = null;
      this.updateChecklist();
    },

    updateChecklist() {
      const t = this.t;
      if (!this.checklist) return;
      const items = this.requirements();
      for (const item of items) {
        let row = this.checklistItems[item.key];
        if (!row) {
          row = { mark: h("span", { class: "cf-check-mark" }), text: h("span"),
            state: h("span", { class: "cf-sr-only" }), detail: h("span", { class: "cf-hint" }) };
          row.li = h("li", { "data-requirement": item.key }, row.mark,
            h("span", { class: "cf-req-body" }, row.text, row.state, row.detail));
          this.checklistItems[item.key] = row;
          this.checklist.append(row.li);
        }
        if (row.li.dataset.done !== String(item.done)) {
          row.mark.textContent = "";
          row.mark.append(icon(item.done ? "check" : "dot"));
          row.li.dataset.done = String(item.done);
          row.li.classList.toggle("cf-req-done", item.done);
          row.state.textContent = " " + t(item.done ? "req_done" : "req_todo");
        }
        row.text.textContent = "";
        if (!item.done && item.page != null) {
          row.text.append(h("a", { href: pageHash(this.ix.pages[item.page].page.id),
            text: item.text }));
        } else row.text.textContent = item.text;
        row.detail.textContent = item.detail ? " " + item.detail : "";
      }
      const completed = this.state.completed;
      this.completionStatus.textContent = completed
        ? t("completion_done", { date: this.fmt.day(completed) })
        : items.length ? t("completion_todo") : "";
      if (this.certificateDay !== completed) {
        this.certificateDay = completed;
        this.renderCertificateArea();
      }
    },

    renderCertificateArea() {
      const t = this.t;
      const slot = this.certificateSlot;
      const certificate = this.data.course.certificate;
      slot.textContent = "";
      this.root.classList.remove("cf-has-certificate");
      if (!certificate) return;
      const asked = collected(this.data);
      if (asked.some((field) => !this.state.certificate[field])) slot.append(this.licenseForm());
      if (!this.state.completed) {
        slot.append(h("p", { class: "cf-locked", "data-testid": "certificate-locked" }, icon("lock"),
          t("certificate_locked")));
        return;
      }
      const canName = typeof this.adapter.setLearnerName === "function";
      const name = this.certificateName();
      if (!name && canName) {
        slot.append(this.nameForm());
        return;
      }
      slot.append(this.certificate(), h("div", { class: "cf-actions cf-noprint" },
        h("button", { type: "button", class: "cf-button", "data-testid": "certificate-print",
          text: t("certificate_print"), onclick: () => root.print() })));
      // Once issued the name stays, unless the course lets the learner change it.
      if (canName && certificate.edit_name) slot.append(this.nameForm());
      this.root.classList.add("cf-has-certificate");
    },

    /** The name the certificate is issued to: as recorded at completion, else the learner's. */
    certificateName() {
      return this.state.certificate.name || (this.learner && this.learner.name) || "";
    },

    nameForm() {
      const t = this.t;
      const input = h("input", { type: "text", id: "cf-cert-name", class: "cf-input",
        autocomplete: "name", maxlength: NAME_MAX, "data-testid": "name-input",
        value: this.certificateName() });
      const message = h("p", { class: "cf-form-error", "aria-live": "polite" });
      return h("form", { class: "cf-name-form cf-noprint", novalidate: true,
        onsubmit: (event) => {
          event.preventDefault();
          const name = input.value.replace(/\s+/g, " ").trim().slice(0, NAME_MAX);
          if (!name) {
            message.textContent = t("name_required");
            input.focus();
            return;
          }
          this.learner = Object.assign({}, this.learner || { id: "" }, { name });
          if (this.state.completed) this.state.certificate.name = name;
          this.callAdapter("setLearnerName", name);
          this.save();
          this.renderCertificateArea();
          this.announce(t("name_saved"));
          const button = this.certificateSlot.querySelector("[data-testid=certificate-print]");
          if (button) button.focus();
        } },
      h("label", { for: "cf-cert-name", class: "cf-label", text: t("name_on_certificate") }),
      h("div", { class: "cf-inline" }, input,
        h("button", { type: "submit", class: "cf-button cf-button-secondary",
          "data-testid": "name-submit", text: t("name_save") })),
      message);
    },

    /**
     * The licence details the certificate asks for (`certificate.collect`), asked once: once
     * saved they are kept in the state, printed and sent with the completion as typed.
     */
    licenseForm() {
      const t = this.t;
      const record = this.state.certificate;
      const fields = collected(this.data).map((name) => {
        const id = "cf-" + name.replace("_", "-");
        const input = h("input", { type: "text", id, class: "cf-input", maxlength: FIELD_MAX,
          autocomplete: name === "license_state" ? "address-level1" : "off",
          "aria-describedby": "cf-license-intro", "data-testid": name.replace("_", "-") + "-input",
          value: record[name] || "" });
        return { name, input, row: h("div", { class: "cf-field" },
          h("label", { for: id, class: "cf-label", text: t(name + "_label") }), input) };
      });
      const message = h("p", { class: "cf-form-error", "aria-live": "polite",
        "data-testid": "license-error" });
      return h("form", { class: "cf-license-form cf-noprint", novalidate: true,
        "data-testid": "license-form", "aria-labelledby": "cf-license-title",
        onsubmit: (event) => {
          event.preventDefault();
          const values = fields.map((f) => f.input.value.replace(/\s+/g, " ").trim());
          const empty = fields.find((f, i) => !values[i]);
          if (empty) {
            message.textContent = t("license_required");
            empty.input.setAttribute("aria-invalid", "true");
            empty.input.focus();
            return;
          }
          fields.forEach((f, i) => { record[f.name] = values[i].slice(0, FIELD_MAX); });
          this.changed(); // the last requirement: the course may be complete now
          this.renderCertificateArea();
          this.announce(t("license_saved"));
          const focus = this.certificateSlot.querySelector(
            "[data-testid=certificate-print], [data-testid=name-input], .cf-locked");
          if (focus) {
            if (!focus.hasAttribute("tabindex")) focus.setAttribute("tabindex", "-1");
            focus.focus();
          }
        } },
      h("h2", { id: "cf-license-title", text: t("license_heading") }),
      h("p", { id: "cf-license-intro", class: "cf-hint", text: t("license_intro") }),
      fields.map((f) => f.row),
      h("div", { class: "cf-actions" },
        h("button", { type: "submit", class: "cf-button", "data-testid": "license-submit",
          text: t("license_save") })),
      message);
    },
  });
})(window);
