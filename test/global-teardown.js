const fs = require('fs');

module.exports = async () => {
  const dir = process.env.CAM_TEST_TMPDIR;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
};
