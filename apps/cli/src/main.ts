console.log("dbbackup");
