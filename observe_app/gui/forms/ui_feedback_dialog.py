# Generated from ui/feedback_dialog.ui by tools/build_ui.py (pyside6-uic). DO NOT EDIT:
# change the form in Qt Designer and run `python tools/build_ui.py`.
from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractButton, QApplication, QCheckBox, QComboBox,
    QDateEdit, QDialog, QDialogButtonBox, QFormLayout,
    QLabel, QLineEdit, QListWidget, QListWidgetItem,
    QPlainTextEdit, QSizePolicy, QVBoxLayout, QWidget)

class Ui_FeedbackDialog(object):
    def setupUi(self, FeedbackDialog):
        if not FeedbackDialog.objectName():
            FeedbackDialog.setObjectName(u"FeedbackDialog")
        FeedbackDialog.resize(580, 540)
        self.outer_layout = QVBoxLayout(FeedbackDialog)
        self.outer_layout.setObjectName(u"outer_layout")
        self.intro_label = QLabel(FeedbackDialog)
        self.intro_label.setObjectName(u"intro_label")
        self.intro_label.setWordWrap(True)

        self.outer_layout.addWidget(self.intro_label)

        self.form_layout = QFormLayout()
        self.form_layout.setObjectName(u"form_layout")
        self.form_layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.kind_label = QLabel(FeedbackDialog)
        self.kind_label.setObjectName(u"kind_label")

        self.form_layout.setWidget(0, QFormLayout.ItemRole.LabelRole, self.kind_label)

        self.kind_combo = QComboBox(FeedbackDialog)
        self.kind_combo.setObjectName(u"kind_combo")

        self.form_layout.setWidget(0, QFormLayout.ItemRole.FieldRole, self.kind_combo)

        self.text_label = QLabel(FeedbackDialog)
        self.text_label.setObjectName(u"text_label")

        self.form_layout.setWidget(1, QFormLayout.ItemRole.LabelRole, self.text_label)

        self.text_edit = QPlainTextEdit(FeedbackDialog)
        self.text_edit.setObjectName(u"text_edit")
        self.text_edit.setMaximumSize(QSize(16777215, 72))
        self.text_edit.setTabChangesFocus(True)

        self.form_layout.setWidget(1, QFormLayout.ItemRole.FieldRole, self.text_edit)

        self.due_check = QCheckBox(FeedbackDialog)
        self.due_check.setObjectName(u"due_check")

        self.form_layout.setWidget(2, QFormLayout.ItemRole.LabelRole, self.due_check)

        self.due_edit = QDateEdit(FeedbackDialog)
        self.due_edit.setObjectName(u"due_edit")
        self.due_edit.setEnabled(False)
        self.due_edit.setCalendarPopup(True)

        self.form_layout.setWidget(2, QFormLayout.ItemRole.FieldRole, self.due_edit)

        self.owner_label = QLabel(FeedbackDialog)
        self.owner_label.setObjectName(u"owner_label")

        self.form_layout.setWidget(3, QFormLayout.ItemRole.LabelRole, self.owner_label)

        self.owner_edit = QLineEdit(FeedbackDialog)
        self.owner_edit.setObjectName(u"owner_edit")

        self.form_layout.setWidget(3, QFormLayout.ItemRole.FieldRole, self.owner_edit)

        self.support_label = QLabel(FeedbackDialog)
        self.support_label.setObjectName(u"support_label")

        self.form_layout.setWidget(4, QFormLayout.ItemRole.LabelRole, self.support_label)

        self.support_edit = QPlainTextEdit(FeedbackDialog)
        self.support_edit.setObjectName(u"support_edit")
        self.support_edit.setTabChangesFocus(True)
        self.support_edit.setMaximumSize(QSize(16777215, 60))

        self.form_layout.setWidget(4, QFormLayout.ItemRole.FieldRole, self.support_edit)

        self.success_label = QLabel(FeedbackDialog)
        self.success_label.setObjectName(u"success_label")

        self.form_layout.setWidget(5, QFormLayout.ItemRole.LabelRole, self.success_label)

        self.success_edit = QPlainTextEdit(FeedbackDialog)
        self.success_edit.setObjectName(u"success_edit")
        self.success_edit.setTabChangesFocus(True)
        self.success_edit.setMaximumSize(QSize(16777215, 60))

        self.form_layout.setWidget(5, QFormLayout.ItemRole.FieldRole, self.success_edit)

        self.evidence_label = QLabel(FeedbackDialog)
        self.evidence_label.setObjectName(u"evidence_label")

        self.form_layout.setWidget(6, QFormLayout.ItemRole.LabelRole, self.evidence_label)

        self.evidence_list = QListWidget(FeedbackDialog)
        self.evidence_list.setObjectName(u"evidence_list")
        self.evidence_list.setMinimumSize(QSize(0, 110))
        self.evidence_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.evidence_list.setWordWrap(True)

        self.form_layout.setWidget(6, QFormLayout.ItemRole.FieldRole, self.evidence_list)


        self.outer_layout.addLayout(self.form_layout)

        self.error_label = QLabel(FeedbackDialog)
        self.error_label.setObjectName(u"error_label")
        self.error_label.setWordWrap(True)
        self.error_label.setVisible(False)

        self.outer_layout.addWidget(self.error_label)

        self.buttons = QDialogButtonBox(FeedbackDialog)
        self.buttons.setObjectName(u"buttons")
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Save)

        self.outer_layout.addWidget(self.buttons)

#if QT_CONFIG(shortcut)
        self.kind_label.setBuddy(self.kind_combo)
        self.text_label.setBuddy(self.text_edit)
        self.owner_label.setBuddy(self.owner_edit)
        self.support_label.setBuddy(self.support_edit)
        self.success_label.setBuddy(self.success_edit)
        self.evidence_label.setBuddy(self.evidence_list)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.kind_combo, self.text_edit)
        QWidget.setTabOrder(self.text_edit, self.due_check)
        QWidget.setTabOrder(self.due_check, self.due_edit)
        QWidget.setTabOrder(self.due_edit, self.owner_edit)
        QWidget.setTabOrder(self.owner_edit, self.support_edit)
        QWidget.setTabOrder(self.support_edit, self.success_edit)
        QWidget.setTabOrder(self.success_edit, self.evidence_list)

        self.retranslateUi(FeedbackDialog)
    # setupUi

    def retranslateUi(self, FeedbackDialog):
        FeedbackDialog.setWindowTitle(QCoreApplication.translate("FeedbackDialog", u"Feedback", None))
        self.intro_label.setText(QCoreApplication.translate("FeedbackDialog", u"A glow names what worked, with its evidence; a grow names one thing to try; a next step is concrete: who does what, with what support, how success will be seen, and by when.", None))
        self.kind_label.setText(QCoreApplication.translate("FeedbackDialog", u"&Kind", None))
#if QT_CONFIG(accessibility)
        self.kind_combo.setAccessibleName(QCoreApplication.translate("FeedbackDialog", u"Kind of feedback", None))
#endif // QT_CONFIG(accessibility)
        self.text_label.setText(QCoreApplication.translate("FeedbackDialog", u"&Text", None))
#if QT_CONFIG(accessibility)
        self.text_edit.setAccessibleName(QCoreApplication.translate("FeedbackDialog", u"Feedback text", None))
#endif // QT_CONFIG(accessibility)
        self.due_check.setText(QCoreApplication.translate("FeedbackDialog", u"D&ue by", None))
        self.due_edit.setDisplayFormat(QCoreApplication.translate("FeedbackDialog", u"yyyy-MM-dd", None))
#if QT_CONFIG(accessibility)
        self.due_edit.setAccessibleName(QCoreApplication.translate("FeedbackDialog", u"Due date", None))
#endif // QT_CONFIG(accessibility)
        self.owner_label.setText(QCoreApplication.translate("FeedbackDialog", u"&Who does it", None))
        self.owner_edit.setPlaceholderText(QCoreApplication.translate("FeedbackDialog", u"e.g. the teacher, with the mentor", None))
#if QT_CONFIG(accessibility)
        self.owner_edit.setAccessibleName(QCoreApplication.translate("FeedbackDialog", u"Who does it", None))
#endif // QT_CONFIG(accessibility)
        self.support_label.setText(QCoreApplication.translate("FeedbackDialog", u"Su&pport offered", None))
#if QT_CONFIG(accessibility)
        self.support_edit.setAccessibleName(QCoreApplication.translate("FeedbackDialog", u"Support offered", None))
#endif // QT_CONFIG(accessibility)
        self.success_label.setText(QCoreApplication.translate("FeedbackDialog", u"Success l&ooks like", None))
#if QT_CONFIG(accessibility)
        self.success_edit.setAccessibleName(QCoreApplication.translate("FeedbackDialog", u"How success will be seen", None))
#endif // QT_CONFIG(accessibility)
        self.evidence_label.setText(QCoreApplication.translate("FeedbackDialog", u"&Evidence", None))
#if QT_CONFIG(accessibility)
        self.evidence_list.setAccessibleName(QCoreApplication.translate("FeedbackDialog", u"Evidence notes: tick the notes this rests on", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.error_label.setAccessibleName(QCoreApplication.translate("FeedbackDialog", u"Problem", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi

