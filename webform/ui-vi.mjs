// ODK Web Forms' own interface phrases, in Vietnamese (its application translations are not
// published in 0.22). Each entry is [code as found in the package's dist, replacement]; the code
// is quoted with its surroundings so only that phrase changes. build.mjs fails when one is no
// longer found, so review this list on every upgrade of @getodk/web-forms.
export const UI_VI = [
  ['label: "Send"', 'label: "Gửi phiếu"'],
  ['createTextVNode(" Add ", -1)', 'createTextVNode(" Thêm ", -1)'],
  ['label: "Remove",\n            icon: "icon-delete"', 'label: "Xóa",\n            icon: "icon-delete"'],
  ['{ literal: "Repeat Item" }', '{ literal: "Mục lặp" }'],
  ['createElementVNode("span", null, "Rank items", -1)', 'createElementVNode("span", null, "Sắp xếp thứ tự", -1)'],
  ['"1 question with error."', '"1 câu hỏi cần sửa."'],
  ['`${QA} questions with errors.`', '`${QA} câu hỏi cần sửa.`'],
  ['constraintMsg: "Condition not satisfied: constraint"', 'constraintMsg: "Câu trả lời không hợp lệ."'],
  ['requiredMsg: "Condition not satisfied: required"', 'requiredMsg: "Câu hỏi này bắt buộc phải trả lời."'],
  ['"Powered by"', '"Biểu mẫu chạy trên"'],
  ['"An error occurred while loading this form"', '"Không mở được phiếu khảo sát này"'],
  ['label: "Change language"', 'label: "Đổi ngôn ngữ"'],
  ['"aria-label": "change language"', '"aria-label": "đổi ngôn ngữ"'],
];

// PrimeVue's locale (the date picker, dropdowns), applied by entry.js after the plugin installs it.
export const PRIMEVUE_VI = {
  clear: 'Xóa',
  apply: 'Áp dụng',
  accept: 'Có',
  reject: 'Không',
  choose: 'Chọn',
  cancel: 'Hủy',
  dayNames: ['Chủ nhật', 'Thứ hai', 'Thứ ba', 'Thứ tư', 'Thứ năm', 'Thứ sáu', 'Thứ bảy'],
  dayNamesShort: ['CN', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7'],
  dayNamesMin: ['CN', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7'],
  monthNames: [
    'Tháng 1', 'Tháng 2', 'Tháng 3', 'Tháng 4', 'Tháng 5', 'Tháng 6',
    'Tháng 7', 'Tháng 8', 'Tháng 9', 'Tháng 10', 'Tháng 11', 'Tháng 12',
  ],
  monthNamesShort: ['Th1', 'Th2', 'Th3', 'Th4', 'Th5', 'Th6', 'Th7', 'Th8', 'Th9', 'Th10', 'Th11', 'Th12'],
  chooseYear: 'Chọn năm',
  chooseMonth: 'Chọn tháng',
  chooseDate: 'Chọn ngày',
  prevYear: 'Năm trước',
  nextYear: 'Năm sau',
  prevMonth: 'Tháng trước',
  nextMonth: 'Tháng sau',
  today: 'Hôm nay',
  weekHeader: 'Tuần',
  firstDayOfWeek: 1,
  dateFormat: 'dd/mm/yy',
  emptyFilterMessage: 'Không tìm thấy',
  emptySearchMessage: 'Không tìm thấy',
  emptyMessage: 'Không có lựa chọn phù hợp',
  searchMessage: 'Có {0} kết quả',
  selectionMessage: 'Đã chọn {0}',
  emptySelectionMessage: 'Chưa chọn',
};
