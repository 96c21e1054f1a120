#pragma once

#include "core/scenario/settings.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QToolButton;

namespace cachescope {

/// One setting's control, made from its row of the settings table. Numbers, durations and text
/// are typed as on the command line ("5m", "250us", "1e-3", "20000") and checked by the table's
/// own parser when the user commits them: Enter, leaving the field, or a step of the arrows (the
/// buttons, the Up/Down keys, the wheel over the focused field). A value it refuses stays in the
/// field, framed red, with the reason beneath it: nothing is clamped or reverted behind the
/// user's back. Choices and flags are a combo box. Named after the setting's key.
class SettingField : public QWidget {
    Q_OBJECT
public:
    /// \a suggest: a text setting offers choices in a drop-down (setSuggestions()), as the
    /// tables and columns of a database.
    explicit SettingField(const SettingDef &setting, bool suggest = false, QWidget *parent = nullptr);

    const SettingDef &setting() const { return m_setting; }
    /// Shows \a value (valid for this setting) and forgets any refused text; says nothing.
    void setValue(const SettingValue &value);
    /// The last value shown or committed.
    const SettingValue &value() const { return m_value; }
    /// Checks the text in the field as a commit would (before a run starts with what is shown);
    /// false when it is refused.
    bool commitText();
    /// Why the text in the field was refused (naming the key); empty when it was not.
    QString error() const { return m_error; }
    /// Steps a number or duration up (\a steps > 0) or down, within the setting's range.
    void stepBy(int steps);
    /// The choices a suggesting text field offers (the value typed stays free).
    void setSuggestions(const QStringList &choices);
    QLineEdit *lineEdit() const { return m_edit; }
    QComboBox *comboBox() const { return m_combo; }

Q_SIGNALS:
    /// The user gave a new, valid value.
    void committed();
    /// The user's text was refused: \a reason names the setting and says why.
    void refused(const QString &reason);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void showError(const QString &reason);
    void accept(const SettingValue &value);
    bool steps() const;

    const SettingDef &m_setting;
    SettingValue m_value;
    QString m_error;
    bool m_filling = false;
    QLineEdit *m_edit = nullptr; // numbers, durations, text
    QComboBox *m_combo = nullptr; // choices, flags, suggesting text
    QToolButton *m_up = nullptr;
    QToolButton *m_down = nullptr;
    QLabel *m_errorLabel = nullptr;
};

/// The next value from \a value, \a steps steps up or down, for a number or duration setting:
/// integers by a tenth of their order of magnitude (16 → 17, 20000 → 21000), shares by 0.01,
/// durations along 1-2-5 steps of their unit (250ms → 500ms, 1m → 2m); within the setting's range.
SettingValue steppedValue(const SettingDef &setting, const SettingValue &value, int steps);

} // namespace cachescope
