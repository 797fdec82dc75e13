// Every temporary folder a test makes (synthesized apps, the member template) goes under one folder
// of this run, removed when the run ends: `npm test` leaves nothing behind.
const fs = require('fs');
const os = require('os');
const path = require('path');

module.exports = async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cam-jest-'));
  process.env.CAM_TEST_TMPDIR = dir;
  // Workers start after this and inherit it; os.tmpdir() reads TMPDIR.
  process.env.TMPDIR = dir;
};
