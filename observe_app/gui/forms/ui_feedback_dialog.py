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
    QLabel, QPlainTextEdit, QSizePolicy, QVBoxLayout,
    QWidget)

class Ui_FeedbackDialog(object):
    def setupUi(self, FeedbackDialog):
        if not FeedbackDialog.objectName():
            FeedbackDialog.setObjectName(u"FeedbackDialog")
        FeedbackDialog.resize(520, 300)
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
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.kind_combo, self.text_edit)
        QWidget.setTabOrder(self.text_edit, self.due_check)
        QWidget.setTabOrder(self.due_check, self.due_edit)

        self.retranslateUi(FeedbackDialog)
    # setupUi

    def retranslateUi(self, FeedbackDialog):
        FeedbackDialog.setWindowTitle(QCoreApplication.translate("FeedbackDialog", u"Feedback", None))
        self.intro_label.setText(QCoreApplication.translate("FeedbackDialog", u"A glow names what worked, with its evidence; a grow names one thing to try; a next step is concrete and has a date.", None))
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
#if QT_CONFIG(accessibility)
        self.error_label.setAccessibleName(QCoreApplication.translate("FeedbackDialog", u"Problem", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi

